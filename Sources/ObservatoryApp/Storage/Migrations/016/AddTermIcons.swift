import Fluent

/// Terms (recognition badges above all) can show an icon from the media library.
struct AddTermIcons: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("terms")
            .field("icon_media_id", .int64, .references("media", "id", onDelete: .setNull))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("terms").deleteField("icon_media_id").update()
    }
}
