; Sleeptime tags for Swift (tree-sitter-swift, tree-sitter-wasms build).

(class_declaration declaration_kind: "struct" name: (type_identifier) @name.definition.struct) @definition.struct

(class_declaration declaration_kind: "enum" name: (type_identifier) @name.definition.enum) @definition.enum

(class_declaration declaration_kind: ["class" "actor"] name: (type_identifier) @name.definition.class) @definition.class

(class_declaration declaration_kind: "extension" name: (user_type (type_identifier) @name.scope)) @scope

(protocol_declaration name: (type_identifier) @name.definition.interface) @definition.interface

(function_declaration name: (simple_identifier) @name.definition.function) @definition.function

(protocol_function_declaration name: (simple_identifier) @name.definition.method) @definition.method

(typealias_declaration name: (type_identifier) @name.definition.type) @definition.type

(source_file
  (property_declaration name: (pattern bound_identifier: (simple_identifier) @name.definition.variable)) @definition.variable)

(call_expression (simple_identifier) @name.reference.call)

(call_expression (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @name.reference.call)))

(inheritance_specifier inherits_from: (user_type (type_identifier) @name.reference.inherit))

(user_type (type_identifier) @name.reference.type)

(import_declaration (identifier) @import)
