import Gateway
import GraphQLEngine

/// What a gateway with a trusted-documents manifest does with a GraphQL request: run the manifest's
/// text for a known id (`documentId`, or an APQ `sha256Hash`), let a text that is exactly a trusted
/// operation through, and, when only trusted documents may run, refuse everything else.
enum TrustedDocumentGate {
    enum Decision {
        /// Run this text (the manifest's operation `id`).
        case run(text: String, id: String)
        /// Not in the manifest, and the gateway runs only trusted documents.
        case refuse(GraphQLError)
        /// Not in the manifest; free-form requests are allowed.
        case passThrough
    }

    static func decide(_ parameters: GraphQLHTTPParameters, _ trusted: TrustedDocuments, onlyTrusted: Bool) -> Decision {
        let persistedHash = parameters.extensions["persistedQuery"]?["sha256Hash"]?.stringValue
        if let id = parameters.documentID ?? persistedHash {
            if let operation = trusted.operation(id: id) {
                GatewayMetrics.trustedDocument(id: operation.id, outcome: "run")
                return .run(text: operation.body, id: operation.id)
            }
            guard onlyTrusted else { return .passThrough }
            GatewayMetrics.trustedDocument(id: "unlisted", outcome: "refused")
            return .refuse(
                GraphQLError(
                    "This document id is not in the gateway's list of trusted operations.", extensions: ["code": "PERSISTED_QUERY_NOT_IN_LIST"]))
        }
        if let text = parameters.query, let operation = trusted.operation(text: text) {
            GatewayMetrics.trustedDocument(id: operation.id, outcome: "run")
            return .run(text: text, id: operation.id)
        }
        guard onlyTrusted else { return .passThrough }
        GatewayMetrics.trustedDocument(id: "unlisted", outcome: "refused")
        return .refuse(
            GraphQLError(
                "Only trusted documents run on this gateway: send the id of an operation of its manifest (documentId or extensions.persistedQuery).",
                extensions: ["code": "TRUSTED_DOCUMENTS_ONLY"]))
    }
}
