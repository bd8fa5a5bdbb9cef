import Fluent
import SQLKit

/// The widths of the smaller copies made of each library image ("480 960 1600"; "" for none).
/// Files already in the library have none yet: the server makes them in the background.
struct AddImageRenditions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("media").field("renditions", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.update("media").set("renditions", to: "").where("media_type", .notLike, "image/%").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("media").deleteField("renditions").update()
    }
}
