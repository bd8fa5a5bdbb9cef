import Foundation
import Logging

/// Hands a mail to whatever delivers it.
protocol MailTransport: Sendable {
    func send(_ mail: OutgoingMail, from: String) async throws
}

/// A failure that retrying will not mend (the server refused the address or the message).
struct PermanentMailFailure: Error, CustomStringConvertible {
    let description: String
}

/// For development and trying the site out: every mail becomes a `.eml` file in a folder
/// (readable as text, openable in any mail program), and the log says where it went.
struct FileMailTransport: MailTransport {
    let directory: String
    let logger: Logger

    func send(_ mail: OutgoingMail, from: String) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stamp = Int(Date().timeIntervalSince1970 * 1_000)
        let id = "\(stamp)-\(UUID().uuidString.lowercased().prefix(8))"
        let path = "\(directory)/\(id)-\(mail.kind).eml"
        let text = MailMessage.render(mail, from: from, date: Date(), messageID: "\(id)@observatory", readable: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw PermanentMailFailure(description: "cannot write \(path)")
        }
        logger.notice("Mail to \(mail.recipient) (\(mail.subject)) saved in \(path)")
    }
}
