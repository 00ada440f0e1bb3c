/// Checks of a built schema that graphql-js `validateSchema` makes: types have members,
/// interfaces are implemented correctly, and SDL directives are known and well placed.
extension SchemaBuilder {
    mutating func validateTypes(definitionsByName: [String: [TypeDefinition]]) {
        for type in self.schema.types where !type.name.hasPrefix("__") {
            guard let node = definitionsByName[type.name]?.first, !BuiltinDefinitions.shared.typeNames.keys.contains(type.name) else {
                continue
            }
            switch type.kind {
            case .object, .interface:
                if type.fields.isEmpty && definitionsByName[type.name, default: []].allSatisfy({ $0.fields.isEmpty }) {
                    let label = type.kind == .object ? "Type" : "Interface"
                    self.report("\(label) \(type.name) must define one or more fields.", node.name.location)
                }
                for field in type.fields where field.name.hasPrefix("__") {
                    self.report("Name \(quoted: "\(field.name)") must not begin with \(quoted: "__"), which is reserved by GraphQL introspection.", field.definition?.name.location ?? node.location)
                }
                for interface in type.interfaces {
                    self.validateImplementation(type, implements: interface, node: node)
                }
            case .union where type.unionMembers.isEmpty:
                self.report("Union type \(type.name) must define one or more member types.", node.name.location)
            case .enumeration where type.enumValues.isEmpty:
                self.report("Enum type \(type.name) must define one or more values.", node.name.location)
            case .inputObject where type.inputFields.isEmpty:
                self.report("Input Object type \(type.name) must define one or more fields.", node.name.location)
            default: break
            }
            if type.isOneOf {
                for field in type.inputFields {
                    if field.type.isNonNull {
                        self.report("OneOf input field \(type.name).\(field.name) must be nullable.", field.definition?.location ?? node.location)
                    }
                    if field.defaultValue != nil {
                        self.report("OneOf input field \(type.name).\(field.name) cannot have a default value.", field.definition?.location ?? node.location)
                    }
                }
            }
        }
    }

    mutating func validateImplementation(_ type: GraphQLNamedType, implements interface: GraphQLNamedType, node: TypeDefinition) {
        let at = node.interfaces.first { $0.value == interface.name }?.location ?? node.name.location
        if type === interface {
            self.report("Type \(type.name) cannot implement itself because it would create a circular reference.", at)
            return
        }
        for transitive in interface.interfaces where !type.interfaces.contains(where: { $0 === transitive }) {
            self.report("Type \(type.name) must implement \(transitive.name) because it is implemented by \(interface.name).", at)
        }
        for interfaceField in interface.fields {
            let fieldName = "\(interface.name).\(interfaceField.name)"
            guard let field = type.field(interfaceField.name) else {
                self.report("Interface field \(fieldName) expected but \(type.name) does not provide it.", at)
                continue
            }
            let location = field.definition?.type.location ?? at
            if !self.schema.isTypeSubTypeDuringBuild(field.type, of: interfaceField.type) {
                self.report("Interface field \(fieldName) expects type \(interfaceField.type) but \(type.name).\(field.name) is type \(field.type).", location)
            }
            for argument in interfaceField.arguments {
                guard let own = field.argument(argument.name) else {
                    self.report("Interface field argument \(fieldName)(\(argument.name):) expected but \(type.name).\(field.name) does not provide it.", field.definition?.location ?? at)
                    continue
                }
                if !own.type.isEqual(to: argument.type) {
                    self.report("Interface field argument \(fieldName)(\(argument.name):) expects type \(argument.type) but \(type.name).\(field.name)(\(argument.name):) is type \(own.type).", own.definition?.type.location ?? at)
                }
            }
            for own in field.arguments where own.type.isNonNull && interfaceField.argument(own.name) == nil {
                self.report("Object field \(type.name).\(field.name) includes required argument \(own.name) that is missing from the Interface field \(fieldName).", own.definition?.location ?? at)
            }
        }
    }

    /// Every directive used in the SDL must be declared and allowed where it stands.
    mutating func checkDirectiveUses(in document: Document) {
        for definition in document.definitions {
            switch definition {
            case .schema(let node): self.checkDirectives(node.directives, at: .schema)
            case .type(let node):
                let location = DirectiveLocation(node.kind)
                self.checkDirectives(node.directives, at: location)
                for field in node.fields {
                    self.checkDirectives(field.directives, at: .fieldDefinition)
                    for argument in field.arguments { self.checkDirectives(argument.directives, at: .argumentDefinition) }
                }
                for field in node.inputFields { self.checkDirectives(field.directives, at: .inputFieldDefinition) }
                for value in node.values { self.checkDirectives(value.directives, at: .enumValue) }
            case .directive(let node):
                for argument in node.arguments { self.checkDirectives(argument.directives, at: .argumentDefinition) }
            default: break
            }
        }
    }

    mutating func checkDirectives(_ directives: [Directive], at location: DirectiveLocation) {
        var seen = Set<String>()
        for directive in directives {
            guard let definition = self.schema.directive(named: directive.name.value) else {
                self.report("Unknown directive \(quoted: "@\(directive.name.value)").", directive.name.location)
                continue
            }
            if !definition.locations.contains(location) {
                self.report("Directive \(quoted: "@\(directive.name.value)") may not be used on \(MessageStyle.current.name(of: location)).", directive.name.location)
            }
            if !definition.isRepeatable && !seen.insert(directive.name.value).inserted {
                self.report("The directive \(quoted: "@\(directive.name.value)") can only be used once at this location.", directive.name.location)
            }
            for argument in directive.arguments where definition.argument(argument.name.value) == nil {
                self.report("Unknown argument \(quoted: "\(argument.name.value)") on directive \(quoted: "@\(directive.name.value)").", argument.name.location)
            }
            for argument in definition.arguments
            where argument.type.isNonNull && argument.defaultValue == nil
                && !directive.arguments.contains(where: { $0.name.value == argument.name })
            {
                self.report("Directive \(quoted: "@\(directive.name.value)") argument \(quoted: "\(argument.name)") of type \(quoted: "\(argument.type)") is required, but it was not provided.", directive.location)
            }
        }
    }
}

extension GraphQLSchema {
    /// `isTypeSubType` before possible types are indexed: an object or interface is a subtype of
    /// an interface it declares, and of a union that lists it.
    func isTypeSubTypeDuringBuild(_ maybeSubType: GraphQLType, of superType: GraphQLType) -> Bool {
        if maybeSubType.isEqual(to: superType) { return true }
        switch (maybeSubType, superType) {
        case (.nonNull(let sub), .nonNull(let sup)): return self.isTypeSubTypeDuringBuild(sub, of: sup)
        case (.nonNull(let sub), _): return self.isTypeSubTypeDuringBuild(sub, of: superType)
        case (_, .nonNull): return false
        case (.list(let sub), .list(let sup)): return self.isTypeSubTypeDuringBuild(sub, of: sup)
        case (.list, _), (_, .list): return false
        case (.named(let sub), .named(let sup)):
            if sup.kind == .union { return sup.unionMembers.contains { $0 === sub } }
            if sup.kind == .interface { return sub.interfaces.contains { $0 === sup } }
            return false
        }
    }
}
