import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Shipped migrations never change, and a database made by the first shipped schema upgrades
/// to exactly the schema a new database gets.
@Suite("Migrations")
struct MigrationTests {
    /// SHA-256 of every shipped migration's source. A migration that has run on someone's
    /// database must never be edited (a database made before the edit would never get the
    /// change): make a new, numbered migration instead, and add its line here when it ships.
    static let shipped: [String: String] = [
        "001/CreateContentSchema.swift": "e16898d3bd477979baec6468b5a7980562ac11e61b3ac46c162ed86738ecd7e5",
        "002/SeedVocabularies.swift": "be9c1417a557ae6f0d5d4b7c20c0d1cd6ee6c97bb5ec3f32faf8d64f79e90842",
        "003/CreateSearchIndex.swift": "ca153824ee4d14f47742fad7e713a85a5c00cb749149f597295fe681047bc84b",
        "004/AddCoveringIndexes.swift": "c1f6ec6d6ffc3eedfb94afce70534a4dfebd771fd478ec4136acbda60655d7d1",
        "005/CreateAccounts.swift": "4fece60f472392683d413d4c1ef21a522c3b8166dbed23b27126b027d1c64340",
        "006/CreateSubmissions.swift": "e3315408b9a884ee1fcadee88e6ae4cf8422c512bb14ad0114123f4bae027465",
        "007/CreateAPITokens.swift": "ec8b2ef5bb8d81e936b464c44ae66de0ae4d6f276bea9e590e18276f19ab7743",
        "008/CreateExportRows.swift": "e4f733c96a287483e5b2274e982a0c0370d195d11edead43c04ad3ae9f15d7ef",
        "009/CreateRevisions.swift": "9d07657cead21bde4d9b88bd0957105b9532c3ceec36979def00749a0a7e7ecc",
        "010/AddTermManagement.swift": "f3d4a904dcf7cc3e4ae91b36bf6814a34fe1070c4d59ac81e7129fcaac3ade75",
        "011/CreateNewsletter.swift": "06ce3ce9a43309e0fb8ea2d5d72e85158af2235ebf51e39f865dca5f485d7bd1",
        "012/CreateAwards.swift": "29dd802bca0673e820d80535aadf1857ec679b47900a1a7742836d3080f76cd3",
        "013/CreateSitePages.swift": "90b482d3b224ef578fb9b7ca193561400a3a498fa2dccf3bc17e2af5148fc8a2",
        "014/CreateMedia.swift": "e93b14a0453d72b0255b01ed1b1f5506537fe0f011a1b46411c20e9f3540caf5",
        "015/CreateToolkitMarks.swift": "7d96135a87976345cc5011f6f84d31121abeb02f3235516f69581c4261f04d76",
        "016/AddTermIcons.swift": "0f868ccaca577433221398c6d67ab5e73cee03a452448ae92f5b870d4fc04a25",
        "017/AddImageRenditions.swift": "98184b81e80787d92c2cca540442422faf0f2cc5388c84ce635b23db22f00b79",
        "018/LevelEarlyDatabases.swift": "500bd0471ed74a1bd078068a9438afc3d306931cf015493c137a4506619bdace",
        "019/SeedSynonyms.swift": "3e1a1a69a614742935689d048f91b31f2d5cc44d1f4cc02c7ab158ad6b8d1d40",
    ]

    static var migrationsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ObservatoryApp/Storage/Migrations")
    }

    @Test func shippedMigrationsAreNeverEdited() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.migrationsFolder.path)
            .filter { $0.count == 3 && $0.allSatisfy(\.isNumber) }.sorted()
        var found: [String: String] = [:]
        for folder in folders {
            for file in try FileManager.default.contentsOfDirectory(atPath: Self.migrationsFolder.appendingPathComponent(folder).path) {
                let text = try String(contentsOf: Self.migrationsFolder.appendingPathComponent("\(folder)/\(file)"), encoding: .utf8)
                found["\(folder)/\(file)"] = SecretToken.hash(text)
            }
        }
        for (file, hash) in Self.shipped.sorted(by: { $0.key < $1.key }) {
            #expect(found[file] != nil, "the shipped migration \(file) is gone")
            #expect(found[file] == nil || found[file] == hash,
                    "the shipped migration \(file) was edited: make a new migration for the change and restore this one")
        }
        for file in found.keys.sorted() where Self.shipped[file] == nil {
            Issue.record("\(file) is not listed as shipped: add \"\(file)\": \"\(found[file] ?? "")\" to MigrationTests.shipped")
        }
        #expect(folders.count == Migrations.all.count, "every numbered folder holds one migration of Migrations.all")
    }

    /// Tables, columns with their types and constraints, indexes and triggers, in an order
    /// that does not depend on how they were made.
    static func schema(of app: Application) async throws -> [String] {
        let sql = app.db as! any SQLDatabase
        var lines: [String] = []
        if sql.dialect.name == "sqlite" {
            for row in try await sql.raw("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() {
                let type = try row.decode(column: "type", as: String.self), name = try row.decode(column: "name", as: String.self)
                let table = try row.decode(column: "tbl_name", as: String.self)
                lines.append("\(type) \(name) on \(table)")
                if type == "table" {
                    for column in try await sql.raw("SELECT name, type, \"notnull\" AS required, dflt_value, pk FROM pragma_table_info(\(bind: name))").all() {
                        lines.append("  column \(try column.decode(column: "name", as: String.self)) \(try column.decode(column: "type", as: String.self)) "
                            + "required=\(try column.decode(column: "required", as: Int.self)) default=\(try column.decode(column: "dflt_value", as: String?.self) ?? "-") "
                            + "pk=\(try column.decode(column: "pk", as: Int.self))")
                    }
                    for key in try await sql.raw("SELECT \"table\" AS target, \"from\" AS source, \"to\" AS goal, on_delete FROM pragma_foreign_key_list(\(bind: name)) ORDER BY source").all() {
                        lines.append("  foreign key \(try key.decode(column: "source", as: String.self)) → \(try key.decode(column: "target", as: String.self))."
                            + "\(try key.decode(column: "goal", as: String?.self) ?? "") on delete \(try key.decode(column: "on_delete", as: String.self))")
                    }
                }
                if type == "index" {
                    let columns = try await sql.raw("SELECT name FROM pragma_index_info(\(bind: name)) ORDER BY seqno").all()
                        .map { try $0.decode(column: "name", as: String?.self) ?? "(expression)" }
                    let unique = try await sql.raw("SELECT \"unique\" AS u FROM pragma_index_list(\(bind: table)) WHERE name = \(bind: name)").first()?
                        .decode(column: "u", as: Int.self) ?? 0
                    lines.append("  \(unique == 1 ? "unique " : "")(\(columns.joined(separator: ", ")))")
                }
            }
        } else {
            for row in try await sql.raw("""
                SELECT table_name, column_name, data_type, is_nullable, COALESCE(column_default, '-') AS dflt, is_identity FROM information_schema.columns \
                WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
                """).all() {
                lines.append("column \(try row.decode(column: "table_name", as: String.self)).\(try row.decode(column: "column_name", as: String.self)) "
                    + "\(try row.decode(column: "data_type", as: String.self)) nullable=\(try row.decode(column: "is_nullable", as: String.self)) "
                    + "default=\(try row.decode(column: "dflt", as: String.self)) identity=\(try row.decode(column: "is_identity", as: String.self))")
            }
            for row in try await sql.raw("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname").all() {
                lines.append("index \(try row.decode(column: "indexdef", as: String.self))")
            }
            for row in try await sql.raw("""
                SELECT tc.table_name, tc.constraint_type, tc.constraint_name FROM information_schema.table_constraints tc \
                WHERE tc.table_schema = current_schema() AND tc.constraint_type IN ('FOREIGN KEY', 'UNIQUE', 'PRIMARY KEY') \
                ORDER BY tc.table_name, tc.constraint_name
                """).all() {
                lines.append("constraint \(try row.decode(column: "table_name", as: String.self)) \(try row.decode(column: "constraint_type", as: String.self)) "
                    + "\(try row.decode(column: "constraint_name", as: String.self))")
            }
            for row in try await sql.raw("""
                SELECT trigger_name, event_object_table, event_manipulation FROM information_schema.triggers \
                WHERE trigger_schema = current_schema() ORDER BY trigger_name, event_manipulation
                """).all() {
                lines.append("trigger \(try row.decode(column: "trigger_name", as: String.self)) on \(try row.decode(column: "event_object_table", as: String.self)) "
                    + "\(try row.decode(column: "event_manipulation", as: String.self))")
            }
        }
        return lines
    }

    /// The first shipped versions of migrations 004, 006 and 008 made everything today's make
    /// but `items_published_idx`, the `attachments` table (with its index) and
    /// `export_rows_base_url`, which were added to those migrations after they had shipped (see
    /// their history). A database of that schema is rebuilt here from today's by removing
    /// exactly those, with content in it, and then upgraded.
    @Test(arguments: TestDatabase.allCases)
    func aDatabaseOfTheFirstShippedSchemaUpgradesToTodaysSchema(_ database: TestDatabase) async throws {
        try await withApp(database) { fresh in
            let expected = try await Self.schema(of: fresh)
            #expect(expected.contains { $0.contains("items_published_idx") })
            #expect(expected.contains { $0.contains("export_rows_base_url") })
            #expect(expected.contains { $0.contains("address_key") })

            try await withApp(database) { early in
                try await early.importLines(OpenDataTests.cases(5))
                let sql = early.db as! any SQLDatabase
                try await sql.raw("DROP INDEX items_published_idx").run()
                try await sql.raw("DROP INDEX export_rows_base_url").run()
                try await sql.raw("DROP TABLE attachments").run()
                try await sql.raw("DELETE FROM _fluent_migrations WHERE name LIKE '%LevelEarlyDatabases'").run()
                let before = try await Self.schema(of: early)
                #expect(!before.contains { $0.contains("items_published_idx") || $0.contains("attachments") || $0.contains("export_rows_base_url") })

                try await early.autoMigrate()
                let upgraded = try await Self.schema(of: early)
                #expect(upgraded == expected, "differences: missing \(Set(expected).subtracting(upgraded).sorted()), extra \(Set(upgraded).subtracting(expected).sorted())")
                // The content is still there, and the site works on the upgraded database.
                #expect(try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("items").first()?
                    .decode(column: "n", as: Int.self) == 5)
                #expect(CSV.parse(try await early.testing().sendRequest(.GET, "/data/cases.csv").body.string).count == 6)
            }
        }
    }
}
