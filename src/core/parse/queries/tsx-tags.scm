; inherits: typescript
; Sleeptime tags for TSX: the TypeScript tags plus JSX component references.
((jsx_opening_element name: (identifier) @name.reference.call)
  (#match? @name.reference.call "^[A-Z]"))

((jsx_self_closing_element name: (identifier) @name.reference.call)
  (#match? @name.reference.call "^[A-Z]"))
