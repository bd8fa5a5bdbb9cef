import Foundation
import SQLKit
import Testing
@testable import ObservatoryApp

/// The layering `Sources/README.md` describes, checked on the sources themselves so a change
/// that breaks it fails here rather than in review.
@Suite("Layering")
struct LayeringTests {
    static var sourcesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
    }

    /// Every Swift file under `folder`, by path relative to `Sources/`, with its text.
    static func sources(in folder: String) throws -> [(path: String, text: String)] {
        let root = sourcesFolder.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = String(url.path.dropFirst(sourcesFolder.path.count + 1))
            files.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    static let migrations = "ObservatoryApp/Storage/Migrations/"

    @Test("The domain library imports no web or database framework")
    func coreIsPure() throws {
        let files = try Self.sources(in: "ObservatoryCore")
        #expect(files.count > 20)
        for file in files {
            for line in file.text.split(separator: "\n") where line.hasPrefix("import ") {
                #expect(["import Foundation", "import FoundationEssentials"].contains(String(line)), "\(file.path): \(line)")
            }
        }
    }

    @Test("Only the database engines know which database they talk to")
    func databaseKindInEnginesOnly() throws {
        // Settings read which database `DATABASE_URL` names and `DatabaseSetup` connects to it;
        // what the two do differently lives in the engines.
        let allowed = ["ObservatoryApp/Storage/DatabaseEngine.swift", "ObservatoryApp/Configuration/SiteSettings.swift",
                       "ObservatoryApp/Storage/DatabaseSetup.swift"]
        for file in try Self.sources(in: "ObservatoryApp") where !file.path.hasPrefix(Self.migrations) && !allowed.contains(file.path) {
            for marker in ["dialect.name", "\"postgresql\"", "\"sqlite\"", "SQLiteDatabase", "PostgresDatabase"] {
                let inEngine = file.path.hasPrefix("ObservatoryApp/Storage/Engines/") || file.path.hasPrefix("ObservatoryApp/Search/")
                #expect(inEngine || !file.text.contains(marker), "\(file.path) mentions \(marker)")
            }
        }
    }

    @Test("One way to reach the database as SQL")
    func oneWayToTheDatabase() throws {
        for file in try Self.sources(in: "ObservatoryApp") where !file.path.hasPrefix(Self.migrations) {
            #expect(!file.text.contains("as! any SQLDatabase"), "\(file.path)")
            let definesIt = file.path == "ObservatoryApp/Storage/DatabaseEngine.swift"
            #expect(definesIt || !file.text.contains("as? any SQLDatabase"), "\(file.path)")
        }
    }

    @Test("Handlers, views and commands hold no SQL: stores do")
    func noSQLOutsideStores() throws {
        let statements = ["sql.select()", "sql.raw(", "sql.insert(into", "sql.update(", "sql.delete(from", ".select().column"]
        var checked = 0
        for file in try Self.sources(in: "ObservatoryApp") {
            let name = (file.path as NSString).lastPathComponent
            let isHandler = name.hasSuffix("Pages.swift") || name.hasSuffix("Page.swift") || name.hasSuffix("API.swift")
                || name.hasSuffix("View.swift") || file.path.hasPrefix("ObservatoryApp/Commands/")
            guard isHandler else { continue }
            checked += 1
            for statement in statements {
                #expect(!file.text.contains(statement), "\(file.path) runs SQL (\(statement)): move it to the feature's store")
            }
        }
        #expect(checked > 25)
    }

    @Test("Every command of the binary has its own file in Commands/")
    func commandsInOnePlace() throws {
        var commands = 0
        for file in try Self.sources(in: "ObservatoryApp") {
            let count = file.text.components(separatedBy: ": AsyncCommand").count - 1
            guard count > 0 else { continue }
            commands += count
            #expect(file.path.hasPrefix("ObservatoryApp/Commands/"), "\(file.path) defines a command outside Commands/")
            #expect(count == 1, "\(file.path) defines \(count) commands")
        }
        #expect(commands >= 7)
    }

    /// Files that declare addresses, or paths that are not addresses of the site (files on disk).
    static func declaresAddresses(_ path: String) -> Bool {
        path.hasSuffix("Routes.swift") || path == "ObservatoryApp/Site/SiteURL.swift" || path == "ObservatoryApp/Site/Address.swift"
            || path == "ObservatoryApp/Configuration/SiteSettings.swift" || path.hasPrefix(migrations)
    }

    @Test("Links, form actions, redirects and routes are built from SiteURL, never spelled out")
    func noLiteralAddresses() throws {
        // A string literal that starts with "/" and a letter is an address of the site spelled
        // out; it must come from `SiteURL.Routes` instead. Prefix checks on the request path
        // (`hasPrefix("/api/")`) classify requests rather than link to one.
        let literalPath = try Regex(#""/[a-z]|(href|action)=\\?"/\\?""#)
        let registration = try Regex(#"\.(get|post|on|grouped)\((\.[A-Z]+, )?"[a-z]"#)
        var checked = 0
        for file in try Self.sources(in: "ObservatoryApp") where !Self.declaresAddresses(file.path) {
            checked += 1
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                let prefixCheck = line.contains("hasPrefix(\"/")
                #expect(prefixCheck || line.firstMatch(of: literalPath) == nil, "\(file.path):\(number + 1): \(code)")
                // Reading a parameter or a query value is not registering a route.
                var scrubbed = String(line)
                for reader in ["parameters.get(", "query.get(", "content.get("] {
                    scrubbed = scrubbed.replacingOccurrences(of: reader, with: "")
                }
                #expect(scrubbed.firstMatch(of: registration) == nil, "\(file.path):\(number + 1) registers a route by literal path: \(code)")
                #expect(!line.contains("PathComponent(stringLiteral:"), "\(file.path):\(number + 1): \(code)")
            }
        }
        #expect(checked > 50)
    }

    @Test("Rows decode into structs named after their columns")
    func columnNames() {
        #expect(SQLRowDecoder.columnName(of: "id") == "id")
        #expect(SQLRowDecoder.columnName(of: "callItemID") == "call_item_id")
        #expect(SQLRowDecoder.columnName(of: "publishedAt") == "published_at")
        #expect(SQLRowDecoder.columnName(of: "apiTokenID") == "api_token_id")
        #expect(SQLRowDecoder.columnName(of: "isInternal") == "is_internal")
        #expect(SQLRowDecoder.columnName(of: "n") == "n")
        #expect(SQLRowDecoder.columnName(of: "htmlBody") == "html_body")
        #expect(SQLRowDecoder.columnName(of: "sha256") == "sha256")
    }
}
