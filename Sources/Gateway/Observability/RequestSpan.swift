import Tracing

/// The server span of the request being handled, set by the server's span middleware: the
/// executor puts the operation's attributes on it instead of opening a span of its own (and, for a
/// request the sampler dropped, opens nothing at all).
public enum RequestSpan {
    @TaskLocal public static var current: (any Span)?
}
