import Fluent

/// Every migration in the order it runs. A shipped migration is never edited: changes come
/// as new, numbered migrations.
enum Migrations {
    static let all: [any Migration] = [
        CreateContentSchema(),
        SeedVocabularies(),
        CreateSearchIndex(),
        AddCoveringIndexes(),
        CreateAccounts(),
        CreateSubmissions(),
        CreateAPITokens(),
        CreateExportRows(),
        CreateRevisions(),
        AddTermManagement(),
        CreateNewsletter(),
        CreateAwards(),
        CreateSitePages(),
        CreateMedia(),
        CreateToolkitMarks(),
        AddTermIcons(),
        AddImageRenditions(),
        LevelEarlyDatabases(),
        SeedSynonyms(),
    ]
}
