using System;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// A successful answer: its body, the bytes it holds of the connection's <see cref="ResponseBudget"/>, and the ids that
/// name it in any error about it. Every answer the transport returns is read (<see cref="Read{T}"/>), once: that gives
/// its bytes back.
/// </summary>
internal sealed class PartnerCenterResponse
{
    private readonly string _requestId;
    private readonly string _correlationId;
    private readonly ResponseBudget.Lease? _lease;
    private readonly Func<string?, string?> _redact;

    internal PartnerCenterResponse(byte[] body, ResponseBudget.Lease? lease, string requestId, string correlationId, Func<string?, string?>? redact = null)
    {
        Body = body;
        _lease = lease;
        _requestId = requestId;
        _correlationId = correlationId;
        _redact = redact ?? (text => text);
    }

    public byte[] Body { get; }

    /// <summary>
    /// Reads the body, then gives its bytes back to the budget, read or not: what stays is what it was read into. An
    /// unusable one names the request's ids.
    /// </summary>
    public T Read<T>(Func<byte[], T> read)
    {
        try
        {
            return Resolve(() => read(Body));
        }
        finally
        {
            _lease?.Dispose();
        }
    }

    /// <summary>Runs <paramref name="work"/> on what the answer says; an invalid response it finds names the request's ids.</summary>
    public T Resolve<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (PartnerCenterInvalidResponseException ex)
        {
            throw Invalid(ex.Message, ex.InnerException);
        }
    }

    // The parser's own exception is kept for the curious, unless its text shows a token: it cannot be redacted, so it goes.
    private Exception? Quotable(Exception? inner)
    {
        var text = inner?.ToString();
        return text is null || string.Equals(_redact(text), text, StringComparison.Ordinal) ? inner : null;
    }

    /// <summary>
    /// An invalid response about this answer, naming its ids. The message may quote the answer (the field names of the
    /// place where reading stopped, say): a token the operation sent is redacted from it.
    /// </summary>
    public PartnerCenterInvalidResponseException Invalid(string message, Exception? innerException = null) =>
        new($"{_redact(message)} MS-RequestId: {_requestId}, MS-CorrelationId: {_correlationId}.", Quotable(innerException))
        { RequestId = _requestId, CorrelationId = _correlationId };
}
