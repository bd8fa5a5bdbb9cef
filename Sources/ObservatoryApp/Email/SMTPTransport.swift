import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail through an SMTP server (RFC 5321): STARTTLS or TLS from the start, and
/// AUTH PLAIN or LOGIN when credentials are configured. A reply in the 500s to the sender,
/// a recipient or the message is a permanent failure; anything else may be retried.
struct SMTPTransport: MailTransport {
    let settings: MailSettings.SMTP
    /// The name this side gives in EHLO.
    let clientName: String
    var timeout: Duration = .seconds(30)

    struct Reply: Sendable {
        let code: Int
        let lines: [String]
        var text: String { lines.joined(separator: " ") }
    }

    struct ProtocolError: Error, CustomStringConvertible {
        let step: String
        let reply: Reply?
        let detail: String?
        var description: String {
            if let reply { return "SMTP \(step): \(reply.code) \(reply.text)" }
            return "SMTP \(step): \(detail ?? "no reply")"
        }
    }

    func send(_ mail: OutgoingMail, from: String) async throws {
        for address in [MailMessage.address(of: from), MailMessage.address(of: mail.recipient)] where !MailMessage.isClean(address: address) {
            throw PermanentMailFailure(description: "refused to send: the address \(address.debugDescription) holds a control character or a space")
        }
        let message = MailMessage.render(mail, from: from, date: Date(),
                                         messageID: "\(UUID().uuidString.lowercased())@\(clientName)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.deliver(message, from: MailMessage.address(of: from), to: MailMessage.address(of: mail.recipient)) }
            group.addTask {
                try await Task.sleep(for: self.timeout)
                throw ProtocolError(step: "timeout", reply: nil, detail: "no answer within \(self.timeout)")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func tlsContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = settings.certificateAuthorityFile {
            configuration.trustRoots = .file(file)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    private func deliver(_ message: String, from sender: String, to recipient: String) async throws {
        let context = settings.security == .none ? nil : try tlsContext()
        let host = settings.host
        let implicitTLS = settings.security == .tls
        let (channel, connection) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS, let context {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return (channel, try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel))
                }
            }
        try await connection.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            func read(_ step: String, expect: ClosedRange<Int>) async throws -> Reply {
                var lines: [String] = []
                while let line = try await replies.next() {
                    guard line.count >= 3, let code = Int(line.prefix(3)) else {
                        throw ProtocolError(step: step, reply: nil, detail: "unreadable reply “\(line.prefix(80))”")
                    }
                    lines.append(String(line.dropFirst(4)))
                    if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                        let reply = Reply(code: code, lines: lines)
                        guard expect.contains(code) else {
                            if code >= 500, ["MAIL", "RCPT", "DATA", "message"].contains(step) {
                                throw PermanentMailFailure(description: ProtocolError(step: step, reply: reply, detail: nil).description)
                            }
                            throw ProtocolError(step: step, reply: reply, detail: nil)
                        }
                        return reply
                    }
                }
                throw ProtocolError(step: step, reply: nil, detail: "connection closed")
            }
            func command(_ text: String, _ step: String, expect: ClosedRange<Int>) async throws -> Reply {
                try await outbound.write(ByteBuffer(string: text + "\r\n"))
                return try await read(step, expect: expect)
            }

            _ = try await read("greeting", expect: 220...220)
            var capabilities = try await command("EHLO \(clientName)", "EHLO", expect: 250...250).lines
            if settings.security == .starttls, let context {
                guard capabilities.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw ProtocolError(step: "STARTTLS", reply: nil, detail: "the server does not offer STARTTLS (it offers \(capabilities.dropFirst().joined(separator: ", ")))")
                }
                _ = try await command("STARTTLS", "STARTTLS", expect: 220...220)
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: context, serverHostname: host), position: .first)
                }.get()
                capabilities = try await command("EHLO \(clientName)", "EHLO", expect: 250...250).lines
            }
            if let username = settings.username, let password = settings.password {
                let mechanisms = capabilities.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased() ?? ""
                if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
                    let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
                    _ = try await command("AUTH PLAIN \(token)", "AUTH", expect: 235...235)
                } else {
                    _ = try await command("AUTH LOGIN", "AUTH", expect: 334...334)
                    _ = try await command(Data(username.utf8).base64EncodedString(), "AUTH", expect: 334...334)
                    _ = try await command(Data(password.utf8).base64EncodedString(), "AUTH", expect: 235...235)
                }
            }
            _ = try await command("MAIL FROM:<\(sender)>", "MAIL", expect: 250...250)
            _ = try await command("RCPT TO:<\(recipient)>", "RCPT", expect: 250...251)
            _ = try await command("DATA", "DATA", expect: 354...354)
            // Dot-stuffing: a line that starts with "." gets a second one.
            let stuffed = message.split(separator: "\r\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
            try await outbound.write(ByteBuffer(string: stuffed.hasSuffix("\r\n") ? stuffed : stuffed + "\r\n"))
            _ = try await command(".", "message", expect: 250...250)
            _ = try? await command("QUIT", "QUIT", expect: 221...221)
        }
    }
}

/// Splits what the server sends into lines without their CRLF.
private final class SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 8_192 { throw SMTPTransport.ProtocolError(step: "reply", reply: nil, detail: "line too long") }
            return .needMoreData
        }
        var bytes = buffer.readBytes(length: newline - buffer.readerIndex + 1) ?? []
        bytes.removeLast()
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        context.fireChannelRead(wrapInboundOut(String(decoding: bytes, as: UTF8.self)))
        return .continue
    }
}
