#!/usr/bin/env python3
"""Generates the fixture data the downstream services serve (deterministic: fixed seed).

Writes patients.json, providers.json, appointments.json, medications.json, lab-orders.json,
and the insurance subgraph's coverage.json and claims.json (from their own random stream, so the
REST services' data does not change with them) beside this script. Ids are strings of digits, as the real services use.
Run: python3 Fixtures/generate.py  (the output is committed; re-running gives the same bytes).
"""
import json
import os
import random

SEED = 20261124
PATIENTS = 1000
PROVIDERS = 40

FIRST = ["Amani", "Baraka", "Chike", "Dalia", "Eshe", "Farida", "Gamal", "Hana", "Imani", "Jabari", "Kofi",
         "Layla", "Malik", "Nia", "Omari", "Rania", "Sefu", "Tariq", "Umi", "Yara", "Zuri", "Nour", "Karim", "Salma"]
LAST = ["Okafor", "Mensah", "Haile", "Nasser", "Kamau", "Diallo", "Tadesse", "Osei", "Mwangi", "Abebe", "Farouk",
        "Adeyemi", "Banda", "Chukwu", "Eltahir", "Gebre", "Hassan", "Idris", "Juma", "Kiplagat"]
SPECIALTIES = ["Family Medicine", "Cardiology", "Endocrinology", "Pediatrics", "Dermatology", "Neurology",
               "Obstetrics", "Oncology", "Psychiatry", "Pulmonology"]
APPOINTMENT_STATUS = ["SCHEDULED", "CHECKED_IN", "COMPLETED", "CANCELLED", "NO_SHOW"]
REASONS = ["Annual check-up", "Follow-up", "Blood pressure review", "Vaccination", "Lab results review",
           "Chest pain", "Diabetes management", "Prenatal visit", "Skin rash", "Headache"]
MEDICATIONS = [("Amoxicillin", ["250mg", "500mg"]), ("Metformin", ["500mg", "850mg", "1000mg"]),
               ("Lisinopril", ["5mg", "10mg", "20mg"]), ("Atorvastatin", ["10mg", "20mg", "40mg"]),
               ("Omeprazole", ["20mg", "40mg"]), ("Salbutamol", ["100mcg"]), ("Paracetamol", ["500mg", "1g"]),
               ("Levothyroxine", ["25mcg", "50mcg", "100mcg"]), ("Amlodipine", ["5mg", "10mg"])]
FREQUENCIES = ["QD", "BID", "TID", "QID", "PRN"]
LAB_TESTS = ["CBC", "BMP", "Lipid panel", "HbA1c", "TSH", "Urinalysis", "Liver panel", "Vitamin D"]
LAB_STATUS = ["ORDERED", "COLLECTED", "RESULTED", "CANCELLED"]


def main():
    rng = random.Random(SEED)
    here = os.path.dirname(os.path.abspath(__file__))
    providers = []
    for i in range(1, PROVIDERS + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        providers.append({"id": str(i), "firstName": first, "lastName": last,
                          "specialty": SPECIALTIES[i % len(SPECIALTIES)],
                          "email": f"dr.{last.lower()}{i}@nilecare.example"})
    patients, appointments, medications, lab_orders = [], [], [], []
    for i in range(1, PATIENTS + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        patient = {"id": str(i), "firstName": first, "lastName": last,
                   "email": f"{first.lower()}.{last.lower()}{i}@example.com" if i % 10 else None,
                   "dateOfBirth": f"{rng.randint(1940, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                   "phone": f"+2547{rng.randint(10000000, 99999999)}"}
        patients.append(patient)
        for _ in range(rng.choice([2, 3, 3, 4])):
            appointments.append({"id": str(len(appointments) + 1), "patientId": str(i),
                                 "providerId": str(rng.randint(1, PROVIDERS)),
                                 "date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                 "time": f"{rng.randint(8, 16):02d}:{rng.choice(['00', '15', '30', '45'])}",
                                 "status": rng.choice(APPOINTMENT_STATUS), "reason": rng.choice(REASONS)})
        for _ in range(rng.choice([1, 2, 2, 3])):
            name, dosages = rng.choice(MEDICATIONS)
            medications.append({"id": str(len(medications) + 1), "patientId": str(i), "name": name,
                                "dosage": rng.choice(dosages), "frequency": rng.choice(FREQUENCIES),
                                "startDate": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                "prescribedBy": str(rng.randint(1, PROVIDERS))})
        for _ in range(rng.choice([0, 1, 1, 2])):
            lab_orders.append({"id": str(len(lab_orders) + 1), "patientId": str(i), "test": rng.choice(LAB_TESTS),
                               "status": rng.choice(LAB_STATUS),
                               "orderedAt": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}T{rng.randint(7, 17):02d}:00:00Z",
                               "orderedBy": str(rng.randint(1, PROVIDERS))})
    coverage, claims = insurance(appointments)
    for name, rows in [("providers", providers), ("patients", patients), ("appointments", appointments),
                       ("medications", medications), ("lab-orders", lab_orders), ("coverage", coverage),
                       ("claims", claims)]:
        with open(os.path.join(here, f"{name}.json"), "w") as out:
            json.dump(rows, out, indent=0, separators=(",", ":"))
            out.write("\n")
        print(f"{name}: {len(rows)}")


PAYERS = [("Nile Mutual", ["Basic", "Standard", "Premium"]), ("Delta Health", ["Bronze", "Silver", "Gold"]),
          ("Sahel Assurance", ["Essential", "Plus"])]
CLAIM_STATUS = ["SUBMITTED", "APPROVED", "DENIED", "PAID"]


def insurance(appointments):
    """Coverage (0 to 2 per patient) and claims (one for about half the covered appointments)."""
    rng = random.Random(SEED + 1)
    coverage, claims = [], []
    for i in range(1, PATIENTS + 1):
        for n in range(rng.choice([0, 1, 1, 1, 2])):
            payer, plans = rng.choice(PAYERS)
            coverage.append({"id": str(len(coverage) + 1), "patientId": str(i), "payer": payer,
                             "planName": rng.choice(plans), "memberId": f"M{rng.randint(10000000, 99999999)}",
                             "status": "ACTIVE" if n == 0 else "EXPIRED",
                             "validFrom": f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-01",
                             "validTo": None if n == 0 else f"2025-{rng.randint(1, 12):02d}-28"})
    active = {row["patientId"]: row["id"] for row in coverage if row["status"] == "ACTIVE"}
    for appointment in appointments:
        coverage_id = active.get(appointment["patientId"])
        if coverage_id is None or rng.random() < 0.5:
            continue
        claims.append({"id": str(len(claims) + 1), "patientId": appointment["patientId"], "coverageId": coverage_id,
                       "appointmentId": appointment["id"], "amountCents": rng.randint(20, 900) * 100,
                       "status": rng.choice(CLAIM_STATUS), "submittedAt": appointment["date"]})
    return coverage, claims


if __name__ == "__main__":
    main()
