-- A citation in a note style (<a class="citation note">…<span class="note-text">…</span></a>, made by
-- generator/richtext.py) becomes a real footnote holding the note's text, in PDF and Word alike.
function Link(link)
  if link.classes:includes("citation") and link.classes:includes("note") then
    local text = pandoc.Inlines({})
    link.content:walk({
      Span = function(span)
        if span.classes:includes("note-text") then text = span.content end
      end,
    })
    return pandoc.Note({ pandoc.Para(text) })
  end
end
