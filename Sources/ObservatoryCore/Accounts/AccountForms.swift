/// Field problems of an account form, by field name, as localisation keys.
public struct FormErrors: Sendable, Equatable, Error {
    public private(set) var byField: [String: String] = [:]
    /// Field names in the order the problems were found, for the summary at the top of a form.
    public private(set) var order: [String] = []

    public init() {}

    /// The values of messages that have some (`{max}`, `{field}`…).
    public private(set) var argumentsByField: [String: [String: String]] = [:]

    public mutating func add(_ field: String, _ messageKey: String, _ arguments: [String: String] = [:]) {
        guard byField[field] == nil else { return }
        byField[field] = messageKey
        if !arguments.isEmpty { argumentsByField[field] = arguments }
        order.append(field)
    }

    public subscript(field: String) -> String? { byField[field] }
    public func arguments(_ field: String) -> [String: String] { argumentsByField[field] ?? [:] }
    public var isEmpty: Bool { byField.isEmpty }
}

/// What someone types to open an account.
public struct Registration: Sendable {
    public var email: String
    public var name: String
    public var organisation: String
    public var country: String
    public var password: String

    public static let maximumNameLength = 200

    public init(email: String, name: String, organisation: String, country: String, password: String) {
        self.email = email
        self.name = name
        self.organisation = organisation
        self.country = country
        self.password = password
    }

    /// Checks every field; `knownCountry` tells whether a country code is in the vocabulary.
    public func validate(knownCountry: (String) -> Bool) -> FormErrors {
        var errors = FormErrors()
        if EmailAddress(email) == nil { errors.add("email", email.isEmpty ? "form.required" : "account.error.email") }
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmedName.isEmpty { errors.add("name", "form.required") }
        if trimmedName.count > Self.maximumNameLength { errors.add("name", "form.tooLong") }
        if organisation.trimmingCharacters(in: .whitespacesAndNewlines).count > Self.maximumNameLength {
            errors.add("organisation", "form.tooLong")
        }
        if !country.isEmpty, !knownCountry(country) { errors.add("country", "account.error.country") }
        if let problem = PasswordPolicy.problem(with: password, personal: [email, name]) {
            errors.add("password", problem.messageKey)
        }
        return errors
    }
}

import Foundation
