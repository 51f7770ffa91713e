; Sleeptime tags for Ruby (tree-sitter-ruby, tree-sitter-wasms build).

(class
  name: [(constant) (scope_resolution)] @name.definition.class) @definition.class

(module
  name: [(constant) (scope_resolution)] @name.definition.module) @definition.module

(method
  name: (_) @name.definition.method) @definition.method

(singleton_method
  name: (_) @name.definition.method) @definition.method

(alias
  name: (_) @name.definition.method) @definition.method

(assignment
  left: (constant) @name.definition.constant) @definition.constant

(call
  method: (identifier) @name.reference.call)

; `IOBuffer.new`, `Puma::Util.purge_interrupt_queue`: the class a call goes to is named.
(call
  receiver: [(constant) @name.reference.type (scope_resolution name: (constant) @name.reference.type)])

(superclass [(constant) @name.reference.inherit (scope_resolution name: (constant) @name.reference.inherit)])

((call
  method: (identifier) @_mixin
  arguments: (argument_list [(constant) @name.reference.inherit (scope_resolution name: (constant) @name.reference.inherit)]))
  (#any-of? @_mixin "include" "extend" "prepend"))

; `describe Grape::API do`, `Class.new(Grape::API)`, `raise Errors::Invalid`: a class handed to a call is used.
(argument_list [(constant) @name.reference.type (scope_resolution name: (constant) @name.reference.type)])

; The modules a name is qualified by (`Grape` and `ParamsBuilder` in `Grape::ParamsBuilder::Hash`): where it is reached.
(scope_resolution scope: [(constant) @name.reference.type (scope_resolution name: (constant) @name.reference.type)])

((call
  method: (identifier) @_require
  arguments: (argument_list . (string) @import))
  (#any-of? @_require "require" "require_relative" "load" "autoload"))
