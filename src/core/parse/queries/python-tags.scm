; Sleeptime tags for Python (tree-sitter-python, tree-sitter-wasms build).

(class_definition
  name: (identifier) @name.definition.class) @definition.class

(function_definition
  name: (identifier) @name.definition.function) @definition.function

((module
  (expression_statement
    (assignment left: (identifier) @name.definition.constant) @definition.constant))
  (#match? @name.definition.constant "^[A-Z][A-Z0-9_]*$"))

; `Draft7Validator = create(...)`, `Base = declarative_base()`: a class a factory makes.
((module
  (expression_statement
    (assignment left: (identifier) @name.definition.class right: (call)) @definition.class))
  (#match? @name.definition.class "^_?[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$"))

(call
  function: (identifier) @name.reference.function)

(call
  function: (attribute attribute: (identifier) @name.reference.call))

(class_definition
  superclasses: (argument_list (identifier) @name.reference.inherit))

(class_definition
  superclasses: (argument_list (attribute attribute: (identifier) @name.reference.inherit)))

(type (identifier) @name.reference.type)

(type (subscript value: (identifier) @name.reference.type))

(import_statement name: (dotted_name) @import)

(import_statement name: (aliased_import name: (dotted_name) @import))

(import_from_statement module_name: [(dotted_name) (relative_import)] @import)

; `from .std import tqdm as std_tqdm`: the code says `std_tqdm`, and means `tqdm`.
(import_from_statement
  name: (aliased_import name: (dotted_name . (identifier) @name.reference.function .)))
