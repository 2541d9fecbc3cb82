using System;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>A successful answer: its body, and the ids that name it in any error about it.</summary>
internal sealed class PartnerCenterResponse
{
    private readonly string _requestId;
    private readonly string _correlationId;

    internal PartnerCenterResponse(byte[] body, string requestId, string correlationId)
    {
        Body = body;
        _requestId = requestId;
        _correlationId = correlationId;
    }

    public byte[] Body { get; }

    /// <summary>Reads the body; an unusable one names the request's ids.</summary>
    public T Read<T>(Func<byte[], T> read) => Resolve(() => read(Body));

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

    /// <summary>An invalid response about this answer, naming its ids.</summary>
    public PartnerCenterInvalidResponseException Invalid(string message, Exception? innerException = null) =>
        new($"{message} MS-RequestId: {_requestId}, MS-CorrelationId: {_correlationId}.", innerException)
        { RequestId = _requestId, CorrelationId = _correlationId };
}
