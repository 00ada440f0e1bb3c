import GraphQLEngine

/// The OpenAPI 3.1 document of a REST facade version, generated from the schema: components from
/// the GraphQL types (descriptions, deprecations, nullability), one operation per route with its
/// parameters, the version's envelopes and the error responses.
public enum OpenAPIDocument {
    public static func make(_ gatewaySchema: GatewaySchema, version: RestVersion) -> Value {
        var builder = Builder(version: version)
        var paths: [String: Value] = [:]
        for route in gatewaySchema.restRoutes {
            var item: [String: Value] = paths[route.path]?.objectFields ?? [:]
            item[route.method.rawValue.lowercased()] = builder.operation(route)
            paths[route.path] = .object(item)
        }
        var schemas = builder.schemas
        schemas["Error"] = [
            "type": "object", "required": ["success", "error"],
            "properties": [
                "success": ["const": false],
                "error": [
                    "type": "object", "required": ["code", "message"],
                    "properties": ["code": ["type": "string"], "message": ["type": "string"]],
                ],
            ],
        ]
        schemas["Pagination"] = [
            "type": "object", "required": ["total", "page", "limit", "pages"],
            "properties": ["total": ["type": "integer"], "page": ["type": "integer"], "limit": ["type": "integer"], "pages": ["type": "integer"]],
        ]
        schemas["Meta"] = [
            "type": "object", "required": ["version", "timestamp"],
            "properties": ["version": ["const": "v2"], "timestamp": ["type": "string", "format": "date-time"]],
        ]
        let description =
            version == .v1
            ? "NileCare REST facade, version 1 (deprecated: use v2). Generated from the GraphQL schema; every route runs as a GraphQL operation."
            : "NileCare REST facade, version 2: paging by page, field selection with `fields`. Generated from the GraphQL schema; every route runs as a GraphQL operation."
        return [
            "openapi": "3.1.0",
            "info": ["title": "NileCare API", "version": .string(version.rawValue), "description": .string(description)],
            "servers": [["url": .string("/api/\(version.rawValue)")]],
            "security": [["bearerAuth": []]],
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
            ],
        ]
    }
}

/// Collects component schemas while it writes operations.
private struct Builder {
    let version: RestVersion
    var schemas: [String: Value] = [:]

    mutating func operation(_ route: RestRoute) -> Value {
        var parameters: [Value] = route.pathParameters.map { name in
            let argument = route.rootField.argument(name)
            return [
                "name": .string(name), "in": "path", "required": true,
                "description": .string(argument?.description ?? "The \(name) of the \(route.rootField.type.namedType.name)."),
                "schema": argument.map { self.scalarSchema($0.type.namedType) } ?? ["type": "string"],
            ]
        }
        for argument in route.queryArguments {
            if self.version == .v2, route.isPage, argument.name == "offset" { continue }
            var schema = self.scalarSchema(argument.type.namedType).objectFields ?? [:]
            if argument.name == "limit" {
                schema["minimum"] = 1
                schema["maximum"] = 100
            }
            if argument.name == "offset" { schema["minimum"] = 0 }
            parameters.append([
                "name": .string(argument.name), "in": "query", "required": false, "schema": .object(schema),
                "description": .string(argument.description ?? argument.name),
            ])
        }
        if self.version == .v2 {
            if route.isPage {
                parameters.append(["name": "page", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 1, "maximum": 2_147_483_647], "description": "Page number, from 1."])
            }
            parameters.append([
                "name": "fields", "in": "query", "required": false, "schema": ["type": "string"],
                "description": "Fields to return, comma-separated, nested with dots: id,firstName,appointments.date (default: the scalar fields).",
            ])
        }
        let item = self.reference(route.resultType)
        let data: Value = route.returnsList ? ["type": "array", "items": item] : item
        var properties: [String: Value] = ["success": ["const": true], "data": data]
        var required: [Value] = ["success", "data"]
        switch self.version {
        case .v1:
            properties["count"] = ["type": "integer"]
            required.append("count")
        case .v2:
            properties["meta"] = ["$ref": "#/components/schemas/Meta"]
            required.append("meta")
            if route.returnsList {
                properties["pagination"] = ["$ref": "#/components/schemas/Pagination"]
                required.append("pagination")
            }
        }
        let success = route.method == .post ? "201" : "200"
        var successResponse: [String: Value] = [
            "description": .string(route.method == .post ? "Created." : "OK."),
            "content": ["application/json": ["schema": ["type": "object", "required": .list(required), "properties": .object(properties)]]],
        ]
        if self.version == .v1 {
            successResponse["headers"] = [
                "Deprecation": ["description": "v1 is deprecated.", "schema": ["type": "string"]],
                "Sunset": ["description": "When v1 stops being served.", "schema": ["type": "string"]],
            ]
        }
        var responses: [String: Value] = [success: .object(successResponse)]
        let failures: [(String, String)] =
            route.method == .post
            ? [("400", "Bad input."), ("401", "No valid token."), ("403", "Not allowed."), ("413", "Body too large."), ("415", "Not JSON."), ("502", "A downstream service failed."), ("504", "A downstream service or the request timed out.")]
            : [("400", "Bad parameters."), ("401", "No valid token."), ("403", "Not allowed."), ("404", "Not found."), ("502", "A downstream service failed."), ("504", "A downstream service or the request timed out.")]
        for (status, description) in failures {
            responses[status] = ["description": .string(description), "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
        }
        var operation: [String: Value] = [
            "operationId": .string(route.operationID), "summary": .string(route.description ?? route.rootField.name),
            "tags": [.string(route.rootField.type.namedType.name == "PatientPage" ? "Patient" : route.rootField.type.namedType.name)],
            "parameters": .list(parameters), "responses": .object(responses),
        ]
        if route.method == .post, let input = route.rootField.argument("input") {
            operation["requestBody"] = [
                "required": true, "content": ["application/json": ["schema": self.reference(input.type.namedType)]],
            ]
        }
        if self.version == .v1 { operation["deprecated"] = true }
        if route.rootField.deprecationReason != nil { operation["deprecated"] = true }
        return .object(operation)
    }

    /// `{"$ref": …}` to the component of `type`, writing it (and what it refers to) first.
    mutating func reference(_ type: GraphQLNamedType) -> Value {
        if self.schemas[type.name] == nil {
            self.schemas[type.name] = [:]  // placeholder: breaks cycles
            self.schemas[type.name] = type.kind == .inputObject ? self.inputSchema(type) : self.objectSchema(type)
        }
        return ["$ref": .string("#/components/schemas/\(type.name)")]
    }

    private mutating func objectSchema(_ type: GraphQLNamedType) -> Value {
        var properties: [String: Value] = [:]
        var required: [Value] = []
        for field in type.fields where !field.name.hasPrefix("__") && !field.arguments.contains(where: { $0.type.isNonNull && $0.defaultValue == nil }) {
            let named = field.type.namedType
            // v1 returns the scalar fields only; v2 may select related objects with `fields`.
            if !named.isLeaf && self.version == .v1 { continue }
            var schema = self.fieldSchema(field.type)
            if case .object(var fields) = schema {
                if let description = field.description { fields["description"] = .string(description) }
                if field.deprecationReason != nil { fields["deprecated"] = true }
                schema = .object(fields)
            }
            properties[field.name] = schema
            if self.version == .v1, field.type.isNonNull { required.append(.string(field.name)) }
        }
        var schema: [String: Value] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .list(required) }
        if let description = type.description { schema["description"] = .string(description) }
        return .object(schema)
    }

    private mutating func inputSchema(_ type: GraphQLNamedType) -> Value {
        var properties: [String: Value] = [:]
        var required: [Value] = []
        for field in type.inputFields {
            var schema = self.fieldSchema(field.type).objectFields ?? [:]
            if let description = field.description { schema["description"] = .string(description) }
            properties[field.name] = .object(schema)
            if field.type.isNonNull && field.defaultValue == nil { required.append(.string(field.name)) }
        }
        var schema: [String: Value] = ["type": "object", "properties": .object(properties), "additionalProperties": false]
        if !required.isEmpty { schema["required"] = .list(required) }
        if let description = type.description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// A field's JSON schema: its scalar, array or reference, `null` allowed unless non-null.
    private mutating func fieldSchema(_ type: GraphQLType) -> Value {
        let inner: Value
        switch type.nullable {
        case .list(let item): inner = ["type": "array", "items": self.fieldSchema(item)]
        default:
            let named = type.namedType
            inner = named.isLeaf ? self.scalarSchema(named) : self.reference(named)
        }
        if type.isNonNull { return inner }
        return ["anyOf": [inner, ["type": "null"]]]
    }

    func scalarSchema(_ type: GraphQLNamedType) -> Value {
        if type.kind == .enumeration {
            var schema: [String: Value] = ["type": "string", "enum": .list(type.enumValues.map { .string($0.name) })]
            if let description = type.description { schema["description"] = .string(description) }
            return .object(schema)
        }
        switch type.name {
        case "Int": return ["type": "integer", "format": "int32", "minimum": -2_147_483_648, "maximum": 2_147_483_647]
        case "Float": return ["type": "number"]
        case "Boolean": return ["type": "boolean"]
        case "ID", "String": return ["type": "string"]
        default: return [:]
        }
    }
}

extension Value {
    /// The fields of an object value.
    var objectFields: [String: Value]? {
        if case .object(let fields) = self { return fields.dictionary }
        return nil
    }
}
