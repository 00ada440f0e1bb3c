import HTTPTypes

/// The header names the gateway reads and writes beyond the standard ones, made once (building an
/// `HTTPField.Name` validates its text: not something to do per request).
extension HTTPField.Name {
    static let traceparent = Self("traceparent")!
    static let apiVersion = Self("X-API-Version")!
    static let nileCareReceipt = Self("X-NileCare-Receipt")!
    static let deprecation = Self("Deprecation")!
    static let sunset = Self("Sunset")!
    static let link = Self("Link")!
    static let nileCareTimestamp = Self("X-NileCare-Timestamp")!
    static let nileCareSignature = Self("X-NileCare-Signature")!
    static let accelBuffering = Self("X-Accel-Buffering")!
}
