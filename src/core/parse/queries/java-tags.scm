; Sleeptime tags for Java (tree-sitter-java, tree-sitter-wasms build).

[
  (class_declaration name: (identifier) @name.definition.class)
  (record_declaration name: (identifier) @name.definition.class)
] @definition.class

[
  (interface_declaration name: (identifier) @name.definition.interface)
  (annotation_type_declaration name: (identifier) @name.definition.interface)
] @definition.interface

(enum_declaration
  name: (identifier) @name.definition.enum) @definition.enum

; An enum constant with a body of its own (a state of a state machine) is defined where its methods are.
(enum_constant
  name: (identifier) @name.definition.constant
  body: (class_body)) @definition.constant

[
  (method_declaration name: (identifier) @name.definition.method)
  (constructor_declaration name: (identifier) @name.definition.method)
] @definition.method

((field_declaration
  (modifiers "static" "final")
  declarator: (variable_declarator name: (identifier) @name.definition.constant)) @definition.constant)

(method_invocation
  name: (identifier) @name.reference.call)

(object_creation_expression
  type: [(type_identifier) @name.reference.call (generic_type (type_identifier) @name.reference.call)])

(superclass (type_identifier) @name.reference.inherit)

(superclass (generic_type (type_identifier) @name.reference.inherit))

(super_interfaces (type_list (type_identifier) @name.reference.inherit))

(super_interfaces (type_list (generic_type (type_identifier) @name.reference.inherit)))

(extends_interfaces (type_list (type_identifier) @name.reference.inherit))

(formal_parameter type: (type_identifier) @name.reference.type)

(field_declaration type: (type_identifier) @name.reference.type)

(method_declaration type: (type_identifier) @name.reference.type)

(type_arguments (type_identifier) @name.reference.type)

; Types named in a method body: locals, caught exceptions, `Foo.class` and static calls (`Guice.createInjector(...)`).
(local_variable_declaration type: [(type_identifier) @name.reference.type (generic_type (type_identifier) @name.reference.type)])

(catch_type (type_identifier) @name.reference.type)

(class_literal (type_identifier) @name.reference.type)

((method_invocation object: (identifier) @name.reference.type)
  (#match? @name.reference.type "^[A-Z][A-Za-z0-9]*[a-z]"))

(import_declaration [(scoped_identifier) (identifier)] @import)
