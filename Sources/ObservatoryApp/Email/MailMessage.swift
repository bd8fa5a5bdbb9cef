import Foundation

/// A mail as it goes over the wire: RFC 5322 headers and a plain-text UTF-8 body.
enum MailMessage {
    /// The bare address of `Name <address>` or of a plain address.
    static func address(of mailbox: String) -> String {
        if let open = mailbox.lastIndex(of: "<"), let close = mailbox.lastIndex(of: ">"), open < close {
            return String(mailbox[mailbox.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        }
        return mailbox.trimmingCharacters(in: .whitespaces)
    }

    /// The whole message with CRLF line ends; the body in base64 (`readable` writes it as
    /// 8-bit text instead, for the files of the development transport).
    static func render(_ mail: OutgoingMail, from: String, date: Date, messageID: String, readable: Bool = false) -> String {
        var lines = [
            "From: \(encodedMailbox(from))",
            "To: \(encodedMailbox(mail.recipient))",
            "Subject: \(encodedWord(mail.subject))",
            "Date: \(InternetDate.string(Int64(date.timeIntervalSince1970)))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "X-Observatory-Kind: \(mail.kind)",
        ]
        if let unsubscribe = mail.unsubscribeURL {
            // RFC 2369 and RFC 8058: mail programs offer one-click unsubscribing.
            lines.append("List-Unsubscribe: <\(unsubscribe)>")
            lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        let body = mail.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        if readable {
            lines.append("Content-Transfer-Encoding: 8bit")
            return lines.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n"
        }
        lines.append("Content-Transfer-Encoding: base64")
        let encoded = Data(body.utf8).base64EncodedString()
        var wrapped: [Substring] = []
        var rest = encoded[...]
        while !rest.isEmpty {
            wrapped.append(rest.prefix(76))
            rest = rest.dropFirst(76)
        }
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + wrapped.joined(separator: "\r\n") + "\r\n"
    }

    /// Text for one header line: every control character (CR, LF, NUL, …) becomes a space,
    /// so no value can end a header or start another. Addresses are checked before they get
    /// here (`EmailAddress`); this is the second line of defence for anything stored earlier.
    static func headerText(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    /// Whether an address can go into a header or an SMTP command as it is.
    static func isClean(address: String) -> Bool { headerText(address) == address && !address.contains(" ") }

    /// A header value with non-ASCII text as an RFC 2047 encoded word.
    static func encodedWord(_ text: String) -> String {
        let clean = headerText(text)
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) { return clean }
        return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?="
    }

    static func encodedMailbox(_ mailbox: String) -> String {
        let address = headerText(address(of: mailbox)).replacingOccurrences(of: " ", with: "")
        guard let open = mailbox.lastIndex(of: "<") else { return address }
        let name = mailbox[..<open].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? address : "\(encodedWord(name)) <\(address)>"
    }
}
