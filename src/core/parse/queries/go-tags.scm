; Sleeptime tags for Go (tree-sitter-go, tree-sitter-wasms build).

(function_declaration
  name: (identifier) @name.definition.function) @definition.function

(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @parent (pointer_type (type_identifier) @parent)]))
  name: (field_identifier) @name.definition.method) @definition.method

(type_spec
  name: (type_identifier) @name.definition.struct
  type: (struct_type)) @definition.struct

(type_spec
  name: (type_identifier) @name.definition.interface
  type: (interface_type)) @definition.interface

(type_spec
  name: (type_identifier) @name.definition.type
  type: [(type_identifier) (qualified_type) (pointer_type) (slice_type) (array_type) (map_type)
         (channel_type) (function_type) (generic_type)]) @definition.type

(type_alias
  name: (type_identifier) @name.definition.type) @definition.type

(method_spec
  name: (field_identifier) @name.definition.method) @definition.method

(source_file
  (const_declaration
    (const_spec name: (identifier) @name.definition.constant) @definition.constant))

(source_file
  (var_declaration
    (var_spec name: (identifier) @name.definition.variable) @definition.variable))

(call_expression
  function: (identifier) @name.reference.function)

(call_expression
  function: (selector_expression field: (field_identifier) @name.reference.call))

(field_declaration_list
  (field_declaration
    !name
    type: [(type_identifier) @name.reference.inherit (pointer_type (type_identifier) @name.reference.inherit)]))

(parameter_declaration type: (type_identifier) @name.reference.type)

(field_declaration name: (_) type: (type_identifier) @name.reference.type)

(pointer_type (type_identifier) @name.reference.type)

(slice_type element: (type_identifier) @name.reference.type)

(composite_literal type: (type_identifier) @name.reference.type)

(import_spec path: (interpreted_string_literal) @import)
