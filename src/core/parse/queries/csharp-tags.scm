; Sleeptime tags for C# (tree-sitter-c-sharp, tree-sitter-wasms build).

[
  (class_declaration name: (identifier) @name.definition.class)
  (record_declaration name: (identifier) @name.definition.class)
] @definition.class

(interface_declaration
  name: (identifier) @name.definition.interface) @definition.interface

[
  (struct_declaration name: (identifier) @name.definition.struct)
  (record_struct_declaration name: (identifier) @name.definition.struct)
] @definition.struct

(enum_declaration
  name: (identifier) @name.definition.enum) @definition.enum

(delegate_declaration
  name: (identifier) @name.definition.type) @definition.type

(namespace_declaration
  name: [(identifier) (qualified_name)] @name.definition.module) @definition.module

(file_scoped_namespace_declaration
  name: [(identifier) (qualified_name)] @name.definition.module) @definition.module

[
  (method_declaration name: (identifier) @name.definition.method)
  (constructor_declaration name: (identifier) @name.definition.method)
] @definition.method

(property_declaration
  name: (identifier) @name.definition.variable) @definition.variable

((field_declaration
  (modifier) @_const
  (variable_declaration (variable_declarator (identifier) @name.definition.constant))) @definition.constant
  (#eq? @_const "const"))

(invocation_expression
  function: (identifier) @name.reference.call)

(invocation_expression
  function: (member_access_expression name: (identifier) @name.reference.call))

(object_creation_expression
  type: [(identifier) @name.reference.call (generic_name (identifier) @name.reference.call)])

(base_list (identifier) @name.reference.inherit)

(base_list (generic_name (identifier) @name.reference.inherit))

(base_list (qualified_name (identifier) @name.reference.inherit .))

(parameter type: (identifier) @name.reference.type)

(method_declaration type: (identifier) @name.reference.type)

(variable_declaration type: (identifier) @name.reference.type)

(type_argument_list (identifier) @name.reference.type)

(using_directive [(identifier) (qualified_name)] @import)

(using_directive "global" [(identifier) (qualified_name)] @import.global)

; `ServiceRegistrar.AddMediatRClasses(...)`, `Unit.Value`: a capitalised receiver names a type (a static member).
((member_access_expression expression: (identifier) @name.reference.type)
  (#match? @name.reference.type "^[A-Z][A-Za-z0-9]*[a-z]"))

(type_of_expression [(identifier) @name.reference.type (generic_name (identifier) @name.reference.type)])
