import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// `observatory create-admin --email … --name …`: creates the first administrator (or makes
/// an existing account one). The password is read from a prompt, or from standard input when
/// that is not a terminal; never from an argument, which other users could read in `ps`.
struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The administrator's email address.")
        var email: String?

        @Option(name: "name", help: "The administrator's name.")
        var name: String?

        init() {}
    }

    var help: String { "Creates an administrator account; the password is asked for (or read from standard input)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let typedEmail = signature.email, let email = EmailAddress(typedEmail) else {
            context.console.error("Give a valid address with --email.")
            app.exitStatus = 1
            return
        }
        let name = (signature.name ?? "").trimmingCharacters(in: .whitespaces)
        let password: String
        if isatty(STDIN_FILENO) == 1 {
            password = context.console.ask("Password (at least \(PasswordPolicy.minimumLength) characters):".consoleText(), isSecure: true)
            let again = context.console.ask("The same password again:".consoleText(), isSecure: true)
            guard password == again else {
                context.console.error("The two passwords differ; nothing was changed.")
                app.exitStatus = 1
                return
            }
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        do {
            try await ObservatoryDatabase.prepareAndMigrate(app)
            let outcome = try await Self.createAdmin(app, email: email, name: name.isEmpty ? email.value : name, password: password)
            context.console.info(outcome)
        } catch let error as AdminCreationError {
            context.console.error(error.description)
            app.exitStatus = 1
        }
    }

    struct AdminCreationError: Error, CustomStringConvertible {
        let description: String
    }

    /// Creates the account, or promotes an existing one and sets its password; audited.
    static func createAdmin(_ app: Application, email: EmailAddress, name: String, password: String) async throws -> String {
        if let problem = PasswordPolicy.problem(with: password, personal: [email.value, name]) {
            throw AdminCreationError(description: Localizer.english(L10nKey(problem.messageKey)))
        }
        let hash = try await PasswordHashing(app).hash(password)
        let now = app.clock.now()
        return try await app.db.transaction { database in
            let sql = try database.sql
            let store = AccountStore(sql: sql, now: now)
            let id: Int64
            let message: String
            if let existing = try await store.find(email: email) {
                id = existing.id
                try await store.setRole(id: id, role: .admin)
                try await store.setStatus(id: id, status: .active, reviewer: nil)
                try await store.setPassword(id: id, hash: hash)
                try await store.markVerified(id: id)
                try await SessionStore(sql: sql, settings: app.siteSettings, now: now).closeAll(accountID: id)
                message = "\(email.value) is now an administrator."
            } else {
                id = try await store.create(email: email, name: name, organisation: "", countryCode: "", passwordHash: hash,
                                            role: .admin, status: .active, verified: true)
                message = "Administrator \(email.value) created."
            }
            try await AuditLog.record(AuditEntry(.adminCreated, actorLabel: "command line", target: AuditEntry.account(id: id, email: email.value),
                                                 after: ["role": Role.admin.rawValue]), at: now, on: sql)
            return message
        }
    }
}
