import Foundation

/// The shared NileCare benchmark workload (../shared/bench-workload), mirrored from
/// `bench_graphql_core.py`: 50 patients, 3 appointments, 2 medications and 1 lab order each;
/// every 10th patient has no email.
struct Workload {
    struct Document {
        let id: String
        let text: String
        let variables: [String: Any]
        let operationName: String?
    }

    static let first = ["Amani", "Baraka", "Chike", "Dalia", "Eshe", "Farida", "Gamal", "Hana", "Imani", "Jabari"]
    static let last = ["Okafor", "Mensah", "Haile", "Nasser", "Kamau", "Diallo", "Tadesse", "Osei", "Mwangi", "Abebe"]
    static let appointmentStatus = ["SCHEDULED", "CHECKED_IN", "COMPLETED", "CANCELLED", "NO_SHOW"]
    static let labStatus = ["ORDERED", "COLLECTED", "RESULTED", "CANCELLED"]
    static let medicationNames = ["Amoxicillin", "Metformin", "Lisinopril", "Atorvastatin", "Omeprazole", "Salbutamol", "Paracetamol"]
    static let labTests = ["CBC", "BMP", "Lipid panel", "HbA1c", "TSH"]

    let directory: URL
    let schemaSDL: String
    let documents: [Document]
    /// Patients as plain dictionaries (converted to each engine's value type).
    let patients: [[String: Any]]

    init(directory: URL) throws {
        self.directory = directory
        self.schemaSDL = try String(contentsOf: directory.appendingPathComponent("nilecare.graphql"), encoding: .utf8)
        var documents: [Document] = []
        for id in ["a_small", "b_medium", "c_introspection", "d_kitchen_sink"] {
            let text = try String(contentsOf: directory.appendingPathComponent("\(id).graphql"), encoding: .utf8)
            let variablesData = try Data(contentsOf: directory.appendingPathComponent("\(id).variables.json"))
            let variables = try JSONSerialization.jsonObject(with: variablesData) as? [String: Any] ?? [:]
            documents.append(
                Document(id: id, text: text, variables: variables, operationName: id == "d_kitchen_sink" ? "KitchenSink" : nil))
        }
        self.documents = documents
        self.patients = Self.makePatients(count: 50)
    }

    static func makePatients(count: Int) -> [[String: Any]] {
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return (1...count).map { i in
            let pid = "p-\(i)"
            let appointments: [[String: Any]] = (0..<3).map { k in
                [
                    "id": "a-\(i)-\(k)", "patientId": pid, "providerId": "dr-\((i + k) % 7)",
                    "date": "2025-\(pad(k + 1))-\(pad(10 + i % 18))", "time": "\(pad(8 + k)):30",
                    "status": appointmentStatus[(i + k) % appointmentStatus.count],
                ]
            }
            let medications: [[String: Any]] = (0..<2).map { k in
                [
                    "id": "m-\(i)-\(k)", "patientId": pid, "name": medicationNames[(i + k) % medicationNames.count],
                    "dosage": "\((k + 1) * 5)mg", "frequency": k == 0 ? "QD" : "BID", "startDate": "2024-\(pad(1 + i % 12))-01",
                ]
            }
            let labOrders: [[String: Any]] = [
                [
                    "id": "l-\(i)-0", "patientId": pid, "test": labTests[i % labTests.count],
                    "status": labStatus[i % labStatus.count], "orderedAt": "2025-02-\(pad(1 + i % 28))T08:00:00Z",
                ]
            ]
            var patient: [String: Any] = [
                "id": pid, "firstName": first[i % first.count], "lastName": last[(i * 3) % last.count],
                "dateOfBirth": "19\(50 + i % 50)-\(pad(1 + i % 12))-\(pad(1 + i % 28))",
                "appointments": appointments, "medications": medications, "labOrders": labOrders,
            ]
            if i % 10 != 0 { patient["email"] = "\(first[i % first.count].lowercased()).\(i)@example.com" }
            return patient
        }
    }
}
