; Sleeptime tags for C++ (tree-sitter-cpp, tree-sitter-wasms build).

(class_specifier
  name: [(type_identifier) (template_type)] @name.definition.class
  body: (_)) @definition.class

(struct_specifier
  name: [(type_identifier) (template_type)] @name.definition.struct
  body: (_)) @definition.struct

(union_specifier
  name: (type_identifier) @name.definition.struct
  body: (_)) @definition.struct

(enum_specifier
  name: (type_identifier) @name.definition.enum
  body: (_)) @definition.enum

(namespace_definition
  name: (namespace_identifier) @name.definition.module) @definition.module

(type_definition
  declarator: [
    (type_identifier) @name.definition.type
    (pointer_declarator declarator: (type_identifier) @name.definition.type)
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (type_identifier) @name.definition.type)))
  ]) @definition.type

(alias_declaration
  name: (type_identifier) @name.definition.type) @definition.type

(function_definition
  declarator: [
    (function_declarator declarator: [(identifier) (field_identifier) (operator_name) (destructor_name)] @name.definition.function)
    (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier)] @name.definition.function))
    (reference_declarator (function_declarator declarator: [(identifier) (field_identifier)] @name.definition.function))
  ]) @definition.function

(function_definition
  declarator: [
    (function_declarator
      declarator: (qualified_identifier
        scope: (_) @parent
        name: [(identifier) (operator_name) (destructor_name)] @name.definition.method))
    (pointer_declarator
      declarator: (function_declarator
        declarator: (qualified_identifier
          scope: (_) @parent
          name: (identifier) @name.definition.method)))
    (reference_declarator
      (function_declarator
        declarator: (qualified_identifier
          scope: (_) @parent
          name: (identifier) @name.definition.method)))
  ]) @definition.method

(field_declaration
  declarator: (function_declarator declarator: (field_identifier) @name.definition.method)) @definition.method

; Prototypes: at file level, in `extern "C" { }` and `#ifdef` blocks (a header's API). Those in a function body are
; local and left out by the extraction, which costs less than a pattern per place a prototype may be.
(declaration
  declarator: [
    (function_declarator declarator: (identifier) @name.definition.function)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name.definition.function))
  ]) @definition.function

(preproc_function_def
  name: (identifier) @name.definition.function) @definition.function

; A macro with a value; a bare `#define FOO_H_` is an include guard or a feature switch, not an API.
(preproc_def
  name: (identifier) @name.definition.constant
  value: (_)) @definition.constant

; A Ruby or Python C extension's registrations define names in the language it extends, here:
; `rb_define_method(cParser, "eos?", cParser_eos_p, 0)`, `rb_define_class_under(mJSON, "Coder", rb_cObject)`,
; and a `PyMethodDef` entry `{"dumps", (PyCFunction)encoder_dumps, METH_VARARGS, ...}`.
(call_expression
  function: (identifier) @_define
  arguments: (argument_list . (_) . (string_literal (string_content) @name.definition.method))
  (#match? @_define "^rb_define_((private_|protected_|singleton_)?method|module_function)$")) @definition.method

(call_expression
  function: (identifier) @_define
  arguments: (argument_list . (_) . (string_literal (string_content) @name.definition.class))
  (#match? @_define "^rb_define_(class|module)_under$")) @definition.class

(call_expression
  function: (identifier) @_define
  arguments: (argument_list . (string_literal (string_content) @name.definition.class))
  (#match? @_define "^rb_define_(class|module)$")) @definition.class

(initializer_list
  . (string_literal (string_content) @name.definition.function)
  . (_)
  . (_) @_flags
  (#match? @_flags "^METH_")) @definition.function

(call_expression
  function: (identifier) @name.reference.call)

(call_expression
  function: (field_expression field: (field_identifier) @name.reference.call))

(call_expression
  function: (qualified_identifier name: (identifier) @name.reference.call))

(call_expression
  function: (qualified_identifier name: (template_function name: (identifier) @name.reference.call)))

(call_expression
  function: (template_function name: (identifier) @name.reference.call))

(new_expression
  type: (type_identifier) @name.reference.call)

(base_class_clause (type_identifier) @name.reference.inherit)

(base_class_clause (qualified_identifier name: (type_identifier) @name.reference.inherit))

(base_class_clause (template_type name: (type_identifier) @name.reference.inherit))

(parameter_declaration type: (type_identifier) @name.reference.type)

(field_declaration type: (type_identifier) @name.reference.type)

(declaration type: (type_identifier) @name.reference.type)

(type_descriptor type: (type_identifier) @name.reference.type)

(preproc_include path: [(string_literal) (system_lib_string)] @import)
