-- Turns the classed blocks of a briefing's HTML into calls to the functions of briefing.typ:
-- <div class="lede"> becomes #lede[...], and so on. Classes not listed pass through.
local functions = { lede = true, meta = true, note = true, refs = true, rec = true, byline = true, rating = true,
  voice = true }

function Div(div)
  if div.classes:includes("contents") then
    return {}  -- the cover of briefing.typ holds the contents
  end
  if div.classes:includes("newpage") then
    return pandoc.RawBlock("typst", "#pagebreak(weak: true)")
  end
  for _, class in ipairs(div.classes) do
    if functions[class] then
      local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#" .. class .. "[") })
      blocks:extend(div.content)
      blocks:insert(pandoc.RawBlock("typst", "]"))
      return blocks
    end
  end
  return div.content
end
