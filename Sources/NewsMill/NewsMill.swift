// The engine's types (Document, Stage, Engine, sources and sinks) are part of NewsMill's API:
// `import NewsMill` is all a program or a test needs.
@_exported import NewsMillCore
