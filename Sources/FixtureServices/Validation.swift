import Foundation
import GraphQLEngine

/// The clinical service's checks of a new patient: what a real service would refuse.
func validatePatient(_ input: Value) -> String? {
    for field in ["firstName", "lastName", "dateOfBirth"] {
        guard let value = input[field]?.stringValue, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            return "\(field) is required."
        }
    }
    guard isDate(input["dateOfBirth"]?.stringValue ?? "") else { return "dateOfBirth must be a date (YYYY-MM-DD)." }
    if let email = input["email"]?.stringValue, !email.contains("@") { return "email must be an email address." }
    return nil
}

/// The business service's checks of a new appointment.
func validateAppointment(_ input: Value, store: FixtureStore) -> String? {
    for field in ["patientId", "providerId", "date", "time"] where input[field]?.stringValue == nil {
        return "\(field) is required."
    }
    let patientId = input["patientId"]!.stringValue!
    let providerId = input["providerId"]!.stringValue!
    if store.withCollection("patients", { $0.find(ids: [patientId]).isEmpty }) { return "patientId \(patientId) does not exist." }
    if store.withCollection("providers", { $0.find(ids: [providerId]).isEmpty }) { return "providerId \(providerId) does not exist." }
    guard isDate(input["date"]!.stringValue!) else { return "date must be a date (YYYY-MM-DD)." }
    let time = input["time"]!.stringValue!
    guard time.count == 5, time.split(separator: ":").count == 2 else { return "time must be HH:MM." }
    return nil
}

private func isDate(_ text: String) -> Bool {
    let parts = text.split(separator: "-")
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
        let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil
    else { return false }
    return (1...12).contains(month) && (1...31).contains(day)
}
