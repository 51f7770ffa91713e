; Sleeptime tags for Scala (tree-sitter-scala, tree-sitter-wasms build).

(class_definition name: (identifier) @name.definition.class) @definition.class

(object_definition name: (identifier) @name.definition.class) @definition.class

(trait_definition name: (identifier) @name.definition.trait) @definition.trait

(function_definition name: (identifier) @name.definition.function) @definition.function

(function_declaration name: (identifier) @name.definition.method) @definition.method

(type_definition name: (type_identifier) @name.definition.type) @definition.type

(compilation_unit (val_definition pattern: (identifier) @name.definition.variable) @definition.variable)

(object_definition body: (template_body (val_definition pattern: (identifier) @name.definition.constant) @definition.constant))

(call_expression function: (identifier) @name.reference.call)

(call_expression function: (field_expression field: (identifier) @name.reference.call))

(extends_clause type: (type_identifier) @name.reference.inherit)

(extends_clause type: (compound_type base: (type_identifier) @name.reference.inherit))

(extends_clause type: (compound_type extra: (type_identifier) @name.reference.inherit))

(type_identifier) @name.reference.type

(import_declaration path: (_) @import)
