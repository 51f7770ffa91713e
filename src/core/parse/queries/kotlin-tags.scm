; Sleeptime tags for Kotlin (tree-sitter-kotlin, tree-sitter-wasms build).

(class_declaration "interface" (type_identifier) @name.definition.interface) @definition.interface

(class_declaration "enum" (type_identifier) @name.definition.enum) @definition.enum

(class_declaration (type_identifier) @name.definition.class) @definition.class

(object_declaration (type_identifier) @name.definition.class) @definition.class

(function_declaration (simple_identifier) @name.definition.function) @definition.function

(type_alias (type_identifier) @name.definition.type) @definition.type

(source_file
  (property_declaration (variable_declaration (simple_identifier) @name.definition.variable)) @definition.variable)

(property_declaration
  (modifiers (property_modifier) @_c)
  (variable_declaration (simple_identifier) @name.definition.constant)
  (#eq? @_c "const")) @definition.constant

(call_expression (simple_identifier) @name.reference.call)

(call_expression (navigation_expression (navigation_suffix (simple_identifier) @name.reference.call)))

(delegation_specifier (user_type (type_identifier) @name.reference.inherit))

(delegation_specifier (constructor_invocation (user_type (type_identifier) @name.reference.inherit)))

(user_type (type_identifier) @name.reference.type)

(import_header (identifier) @import)
