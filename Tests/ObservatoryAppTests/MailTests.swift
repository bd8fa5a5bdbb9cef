import Foundation
import NIOConcurrencyHelpers
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

@Suite("Mail")
struct MailTests {
    @Test(arguments: TestDatabase.allCases)
    func theOutboxIsWrittenInTheSameTransactionAsItsAction(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let pending = try await app.makeAccount("waiting@example.org", status: .pending)
            // Break the last write of the approval (the audit entry): nothing of it may remain.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("ALTER TABLE audit_events RENAME TO audit_events_away").run()
            let failed = try await editor.submit("/admin/accounts/\(pending.id)", action: "/admin/accounts/\(pending.id)/approve", [:])
            #expect(failed.status == .internalServerError)
            #expect(try await AccountStore(sql: sql, now: 0).find(id: pending.id)?.status == .pending)
            #expect(try await app.outbox().isEmpty, "no mail about an approval that did not happen")
            try await sql.raw("ALTER TABLE audit_events_away RENAME TO audit_events").run()
            let approved = try await editor.submit("/admin/accounts/\(pending.id)", action: "/admin/accounts/\(pending.id)/approve", [:])
            #expect(approved.status == .seeOther)
            #expect(try await AccountStore(sql: sql, now: 0).find(id: pending.id)?.status == .active)
            #expect(try await app.outbox().map(\.kind) == ["account-approved"])
        }
    }

    /// A transport that fails a set number of times, then records what it sends.
    final class FlakyTransport: MailTransport {
        let failures: NIOLockedValueBox<Int>
        let permanent: Bool
        let sent = NIOLockedValueBox<[OutgoingMail]>([])

        init(failures: Int, permanent: Bool = false) {
            self.failures = NIOLockedValueBox(failures)
            self.permanent = permanent
        }

        func send(_ mail: OutgoingMail, from: String) async throws {
            let fail = failures.withLockedValue { remaining -> Bool in
                guard remaining > 0 else { return false }
                remaining -= 1
                return true
            }
            if fail {
                if permanent { throw PermanentMailFailure(description: "550 no such mailbox") }
                throw SMTPTransport.ProtocolError(step: "greeting", reply: nil, detail: "connection refused")
            }
            try await Task.sleep(for: .milliseconds(5))
            sent.withLockedValue { $0.append(mail) }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func deliveryRetriesWithGrowingWaitsAndGivesUpOnPermanentFailures(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let sql = app.db as! any SQLDatabase
            let now: Int64 = 1_800_000_000
            try await Outbox.enqueue(OutgoingMail(recipient: "a@example.org", subject: "One", body: "Body", kind: "test"), at: now, on: sql)
            let flaky = FlakyTransport(failures: 2)
            let delivery = MailDelivery(sql: sql, transport: flaky, from: "site@example.org", logger: app.logger)
            #expect(try await delivery.deliverDue(now: now) == 0)
            let next = try await sql.select().columns("next_attempt_at", "attempts", "last_error").from("outbox").first()!
            #expect(try next.decode(column: "next_attempt_at", as: Int64.self) == now + 60)
            #expect(try next.decode(column: "last_error", as: String.self).contains("connection refused"))
            #expect(try await delivery.deliverDue(now: now + 59) == 0, "not due yet")
            #expect(try await delivery.deliverDue(now: now + 60) == 0)
            #expect(try await sql.select().column("next_attempt_at").from("outbox").first()!
                .decode(column: "next_attempt_at", as: Int64.self) == now + 60 + 120)
            #expect(try await delivery.deliverDue(now: now + 180) == 1)
            let row = try #require(try await app.outbox().first)
            #expect(row.sentAt == now + 180 && row.attempts == 3)
            #expect(flaky.sent.withLockedValue { $0.map(\.subject) } == ["One"])
            #expect(try await delivery.deliverDue(now: now + 10_000) == 0, "a sent mail is never sent again")

            try await Outbox.enqueue(OutgoingMail(recipient: "gone@example.org", subject: "Two", body: "Body", kind: "test"), at: now, on: sql)
            let refusing = MailDelivery(sql: sql, transport: FlakyTransport(failures: 1, permanent: true), from: "site@example.org", logger: app.logger)
            #expect(try await refusing.deliverDue(now: now + 20_000) == 0)
            let failedAt = try await sql.select().column("failed_at").from("outbox").where("recipient", .equal, "gone@example.org").first()!
                .decode(column: "failed_at", as: Int64?.self)
            #expect(failedAt == now + 20_000)
            #expect(try await refusing.deliverDue(now: now + 90_000) == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func twoInstancesNeverSendTheSameMail(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let sql = app.db as! any SQLDatabase
            for index in 0..<30 {
                try await Outbox.enqueue(OutgoingMail(recipient: "r\(index)@example.org", subject: "S\(index)", body: "B", kind: "test"),
                                         at: 100, on: sql)
            }
            let transport = FlakyTransport(failures: 0)
            try await withSecondInstance(of: app) { other in
                let first = MailDelivery(sql: sql, transport: transport, from: "site@example.org", logger: app.logger)
                let second = MailDelivery(sql: other.db as! any SQLDatabase, transport: transport, from: "site@example.org", logger: app.logger)
                async let a = first.deliverDue(now: 200)
                async let b = second.deliverDue(now: 200)
                let total = try await a + b
                #expect(total == 30)
            }
            let subjects = transport.sent.withLockedValue { $0.map(\.subject) }
            #expect(subjects.count == 30)
            #expect(Set(subjects).count == 30)
        }
    }

    @Test func messagesAreEncodedForTheWire() {
        let mail = OutgoingMail(recipient: "Zoë Ødegaard <zoe@example.org>", subject: "Bienvenue à l’Observatoire",
                                body: "Ligne 1\n.Ligne qui commence par un point\nÜber", kind: "test")
        let text = MailMessage.render(mail, from: "Observatory <no-reply@example.org>", date: Date(timeIntervalSince1970: 0),
                                      messageID: "abc@example.org")
        #expect(text.contains("From: Observatory <no-reply@example.org>\r\n"))
        #expect(text.contains("To: =?UTF-8?B?\(Data("Zoë Ødegaard".utf8).base64EncodedString())?= <zoe@example.org>\r\n"))
        #expect(text.contains("Subject: =?UTF-8?B?\(Data("Bienvenue à l’Observatoire".utf8).base64EncodedString())?=\r\n"))
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        #expect(text.contains("Content-Transfer-Encoding: base64\r\n\r\n"))
        let body = text.components(separatedBy: "\r\n\r\n")[1].replacingOccurrences(of: "\r\n", with: "")
        #expect(String(decoding: Data(base64Encoded: body)!, as: UTF8.self) == "Ligne 1\r\n.Ligne qui commence par un point\r\nÜber")
        #expect(MailMessage.encodedWord("Line\r\nBcc: evil@example.org") == "Line  Bcc: evil@example.org", "no header injection")
    }

    // MARK: A real SMTP server on loopback

    /// Runs `smtp_sink.py` and collects the JSON lines it prints.
    final class SMTPSink: @unchecked Sendable {
        let process = Process()
        let port: Int
        private let input = Pipe()
        private let output = Pipe()
        private let lines = NIOLockedValueBox<[String]>([])
        private let buffer = NIOLockedValueBox<String>("")

        init(arguments: [String]) throws {
            port = Int.random(in: 20_000...60_000)
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/smtp_sink.py").path
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, String(port)] + arguments
            process.standardInput = input
            process.standardOutput = output
            output.fileHandleForReading.readabilityHandler = { [lines, buffer] handle in
                let chunk = String(decoding: handle.availableData, as: UTF8.self)
                buffer.withLockedValue { text in
                    text += chunk
                    while let newline = text.firstIndex(of: "\n") {
                        let line = String(text[..<newline])
                        text = String(text[text.index(after: newline)...])
                        lines.withLockedValue { $0.append(line) }
                    }
                }
            }
            try process.run()
        }

        func waitForLines(_ count: Int) async throws -> [String] {
            for _ in 0..<200 {
                let current = lines.withLockedValue { $0 }
                if current.count >= count { return current }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw SinkError.timedOut(lines.withLockedValue { $0 })
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            output.fileHandleForReading.readabilityHandler = nil
        }

        enum SinkError: Error { case timedOut([String]) }
    }

    static func message(_ line: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    }

    @Test func smtpWithAuthentication() async throws {
        let sink = try SMTPSink(arguments: ["--user", "observatory", "--password", "s3cret pass"])
        defer { sink.stop() }
        _ = try await sink.waitForLines(1)
        let transport = SMTPTransport(settings: .init(host: "127.0.0.1", port: sink.port, security: .none,
                                                      username: "observatory", password: "s3cret pass"), clientName: "observatory.test")
        let mail = OutgoingMail(recipient: "Amara Okafor <amara@example.org>", subject: "Confirmez votre adresse",
                                body: "Bonjour Amara,\n.\nUne ligne avec un point seul ci-dessus.", kind: "verify-email")
        try await transport.send(mail, from: "Observatory <no-reply@example.org>")
        let received = try Self.message(try await sink.waitForLines(2)[1])
        #expect(received["from"] as? String == "no-reply@example.org")
        #expect(received["to"] as? [String] == ["amara@example.org"])
        #expect(received["user"] as? String == "observatory")
        let raw = received["message"] as! String
        #expect(raw.contains("Subject: Confirmez votre adresse"))
        #expect(raw.contains("X-Observatory-Kind: verify-email"))
        let body = raw.components(separatedBy: "\r\n\r\n").dropFirst().joined().replacingOccurrences(of: "\r\n", with: "").replacingOccurrences(of: "\n", with: "")
        #expect(String(decoding: Data(base64Encoded: body) ?? Data(), as: UTF8.self) == "Bonjour Amara,\r\n.\r\nUne ligne avec un point seul ci-dessus.")

        // A wrong password is an error (retried later), and nothing is delivered.
        let wrong = SMTPTransport(settings: .init(host: "127.0.0.1", port: sink.port, security: .none,
                                                  username: "observatory", password: "wrong"), clientName: "observatory.test")
        await #expect(throws: SMTPTransport.ProtocolError.self) { try await wrong.send(mail, from: "no-reply@example.org") }
    }

    @Test func smtpWithSTARTTLS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)

        let sink = try SMTPSink(arguments: ["--user", "observatory", "--password", "tls pass", "--tls", cert, key])
        defer { sink.stop() }
        _ = try await sink.waitForLines(1)
        let settings = MailSettings.SMTP(host: "localhost", port: sink.port, security: .starttls, username: "observatory",
                                         password: "tls pass", certificateAuthorityFile: cert)
        try await SMTPTransport(settings: settings, clientName: "observatory.test")
            .send(OutgoingMail(recipient: "ines@example.org", subject: "Over TLS", body: "Secret link", kind: "test"), from: "no-reply@example.org")
        let received = try Self.message(try await sink.waitForLines(2)[1])
        #expect(received["tls"] as? Bool == true)
        #expect(received["user"] as? String == "observatory")

        // Without trusting the certificate, the client refuses to go on.
        var untrusted = settings
        untrusted.certificateAuthorityFile = nil
        await #expect(throws: (any Error).self) {
            try await SMTPTransport(settings: untrusted, clientName: "observatory.test")
                .send(OutgoingMail(recipient: "ines@example.org", subject: "No", body: "No", kind: "test"), from: "no-reply@example.org")
        }
        #expect(try await sink.waitForLines(2).count == 2)
    }

    @Test func developmentMailGoesToReadableFiles() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let transport = FileMailTransport(directory: directory, logger: Logger(label: "test"))
        try await transport.send(OutgoingMail(recipient: "dev@example.org", subject: "Réinitialiser", body: "Lien : https://x/?token=abc", kind: "password-reset"),
                                 from: "Observatory <no-reply@example.org>")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.count == 1 && files[0].hasSuffix("-password-reset.eml"))
        let text = try String(contentsOfFile: directory + "/" + files[0], encoding: .utf8)
        #expect(text.contains("To: dev@example.org\r\n"))
        #expect(text.contains("Content-Transfer-Encoding: 8bit\r\n\r\nLien : https://x/?token=abc\r\n"))
    }
}
