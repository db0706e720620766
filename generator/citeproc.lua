-- A pandoc writer for generator/citeproc.py: run after --citeproc, it writes one JSON object with
-- every formatted citation and bibliography entry as an HTML fragment (pandoc's own HTML writer)
-- and as plain text, so that nothing has to parse pandoc's HTML.
--   { "citations": [ {"id": "cite-0", "html": ..., "text": ..., "note": false, "lead": ""}, ... ],
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
local MARK = pandoc.RawInline("html", "\0")  -- pandoc never writes a NUL of its own

-- Every fragment as HTML, in one call of the HTML writer (a call per fragment is much slower).
local function fragments(list)
  local all = pandoc.Inlines({})
  for _, inlines in ipairs(list) do
    all:extend(inlines:walk({ Span = spans }))
    all:insert(MARK)
  end
  local out, html = {}, pandoc.write(pandoc.Pandoc({ pandoc.Plain(all) }), "html", OPTIONS)
  for piece in html:gmatch("([^\0]*)\0") do
    table.insert(out, (piece:gsub("^%s+", ""):gsub("%s+$", "")))
  end
  return out
end

local function text(inlines)
  return (pandoc.utils.stringify(inlines):gsub("^%s+", ""):gsub("%s+$", ""))
end

-- A citation's formatted inlines (its <div> holds a paragraph that is just the citation). For a
-- note style: the inlines of the note pandoc made of it, and the words before the note (the
-- author's name of an in-text citation such as @key [p. 3]).
local function citation(div)
  local cite = div.content[1].content[1]
  local lead = pandoc.Inlines({})
  for _, inline in ipairs(cite.content) do
    if inline.t == "Note" then
      return pandoc.utils.blocks_to_inlines(inline.content, { pandoc.Space() }), true, lead
    end
    lead:insert(inline)
  end
  return cite.content, false, pandoc.Inlines({})
end

function Writer(doc, opts)
  local citations, references, inlines = {}, {}, {}
  for _, block in ipairs(doc.blocks) do
    if block.t == "Div" and block.identifier:match("^cite%-") then
      local formatted, note, lead = citation(block)
      table.insert(citations, { id = block.identifier, text = text(formatted), note = note })
      table.insert(inlines, formatted)
      table.insert(inlines, lead)
    elseif block.t == "Div" and block.identifier == "refs" then
      for _, entry in ipairs(block.content) do
        local key = entry.identifier:match("^ref%-(.*)$")
        if entry.t == "Div" and key then
          local formatted = pandoc.utils.blocks_to_inlines(entry.content, { pandoc.Space() })
          table.insert(references, { key = key, text = text(formatted) })
          table.insert(inlines, formatted)
        end
      end
    end
  end
  local html = fragments(inlines)
  for i, item in ipairs(citations) do item.html, item.lead = html[2 * i - 1], html[2 * i] end
  for i, item in ipairs(references) do item.html = html[2 * #citations + i] end
  return pandoc.json.encode({ citations = citations, references = references })
end
