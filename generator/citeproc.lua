-- A pandoc writer for generator/citeproc.py: run after --citeproc, it writes one JSON object with
-- every formatted citation and bibliography entry as an HTML fragment (pandoc's own HTML writer)
-- and as plain text, so that nothing has to parse pandoc's HTML.
--   { "citations": [ {"id": "cite-0", "html": ..., "text": ..., "note": false}, ... ],
--     "references": [ {"key": ..., "html": ..., "text": ...}, ... ] }   (bibliography order)

-- pandoc's HTML writer turns these spans of numeric and hanging styles into <div>s; a fragment
-- is used inside a <p> or <li>, so they stay spans (the stylesheet may lay them out as blocks).
local CSL_SPANS = { ["csl-left-margin"] = true, ["csl-right-inline"] = true, ["csl-block"] = true,
                    ["csl-indent"] = true }

local function spans(span)
  for _, class in ipairs(span.classes) do
    if CSL_SPANS[class] then
      local content, after = span.content, pandoc.Inlines({})
      if #content > 0 and content[#content].t == "Space" then  -- "[1] ": the space goes between the spans
        content:remove(#content)
        after:insert(pandoc.Space())
      end
      local out = pandoc.Inlines({ pandoc.RawInline("html", '<span class="' .. class .. '">') })
      out:extend(content)
      out:insert(pandoc.RawInline("html", "</span>"))
      out:extend(after)
      return out
    end
  end
end

local OPTIONS = pandoc.WriterOptions({ wrap_text = "wrap-none" })

local function fragment(inlines)
  local html = pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines:walk({ Span = spans })) }), "html", OPTIONS)
  return html:gsub("^%s+", ""):gsub("%s+$", "")
end

local function text(inlines)
  return (pandoc.utils.stringify(inlines):gsub("^%s+", ""):gsub("%s+$", ""))
end

-- A citation's formatted inlines; for a note style, the inlines of the note pandoc made of it.
local function citation(div)
  local inlines, note = pandoc.Inlines({}), nil
  div:walk({
    Cite = function(cite) inlines = cite.content end,
  })
  inlines:walk({ Note = function(n) note = n end })
  if note then
    return pandoc.utils.blocks_to_inlines(note.content, { pandoc.Space() }), true
  end
  return inlines, false
end

function Writer(doc, opts)
  local citations, references = {}, {}
  for _, block in ipairs(doc.blocks) do
    if block.t == "Div" and block.identifier:match("^cite%-") then
      local inlines, note = citation(block)
      table.insert(citations, { id = block.identifier, html = fragment(inlines), text = text(inlines), note = note })
    elseif block.t == "Div" and block.identifier == "refs" then
      for _, entry in ipairs(block.content) do
        local key = entry.identifier:match("^ref%-(.*)$")
        if entry.t == "Div" and key then
          local inlines = pandoc.utils.blocks_to_inlines(entry.content, { pandoc.Space() })
          table.insert(references, { key = key, html = fragment(inlines), text = text(inlines) })
        end
      end
    end
  end
  return pandoc.json.encode({ citations = citations, references = references })
end
