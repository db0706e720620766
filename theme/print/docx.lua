-- Gives the classed blocks of a briefing's HTML the Word styles of reference.docx, so that a
-- trainer editing the document sees named styles, not direct formatting.
local styles = { lede = "Lede", meta = "Source Note", note = "Source Note", byline = "Source Note", refs = "Bibliography",
  rating = "Evidence Rating", voice = "Voice" }

function Div(div)
  if div.classes:includes("contents") then
    return {}  -- Word builds its own table of contents (pandoc --toc)
  end
  if div.classes:includes("newpage") then
    return pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
  end
  for _, class in ipairs(div.classes) do
    if styles[class] then
      div.attributes["custom-style"] = styles[class]
      div.classes = {}
      return div
    end
  end
  return div.content
end
