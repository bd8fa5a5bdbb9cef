/// What an uploaded file really is, told by its first bytes (never by its name), and the
/// name it is stored and shown under.
public enum AttachmentRules {
    public static let maximumFilesBytesPerSubmission = 50_000_000

    public enum Kind: String, Sendable, CaseIterable {
        case jpeg = "image/jpeg"
        case png = "image/png"
        case webp = "image/webp"
        case pdf = "application/pdf"

        public var fileExtension: String {
            switch self {
            case .jpeg: "jpg"
            case .png: "png"
            case .webp: "webp"
            case .pdf: "pdf"
            }
        }

        public var isImage: Bool { self != .pdf }
    }

    /// The kind of a file from its content, or nil for anything else.
    public static func kind(of bytes: some Collection<UInt8>) -> Kind? {
        let head = Array(bytes.prefix(16))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return .webp }
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        return nil
    }

    public enum Problem: String, Sendable, Equatable {
        case empty
        case notAccepted
        case tooLarge
        case tooMany
        case submissionFull

        public var messageKey: String { "attachment.problem.\(rawValue)" }
    }

    /// Why a file cannot be added to a field, or nil when it can.
    public static func problem(kind: Kind?, size: Int, accepted: [String], maxBytes: Int?, filesInField: Int, maxFiles: Int?,
                               bytesInSubmission: Int) -> Problem? {
        if size == 0 { return .empty }
        guard let kind, accepted.contains(kind.rawValue) else { return .notAccepted }
        if let maxBytes, size > maxBytes { return .tooLarge }
        if let maxFiles, filesInField >= maxFiles { return .tooMany }
        if bytesInSubmission + size > maximumFilesBytesPerSubmission { return .submissionFull }
        return nil
    }

    /// A file name safe to show and to send back: no folders, no control or shell characters,
    /// at most 100 characters, ending in the extension of what the file really is.
    public static func sanitizedName(_ name: String, kind: Kind) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var stem = last
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
        var cleaned = ""
        for character in stem {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                cleaned.append(character)
            } else if character == " " || character == "." {
                cleaned.append("-")
            }
        }
        while cleaned.contains("--") { cleaned = cleaned.replacingOccurrences(of: "--", with: "-") }
        cleaned = String(cleaned.trimmingCharacters(in: CharacterSet(charactersIn: "-_.")).prefix(90))
        if cleaned.isEmpty { cleaned = "file" }
        return cleaned + "." + kind.fileExtension
    }
}

import Foundation
