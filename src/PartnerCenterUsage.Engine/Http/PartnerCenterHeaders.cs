using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>The one place that knows the Partner Center request and response headers.</summary>
public static class PartnerCenterHeaders
{
    /// <summary>A new GUID per request (reused only when retrying the same request).</summary>
    public const string RequestId = "MS-RequestId";

    /// <summary>A GUID tying together the requests of one operation (one cmdlet invocation).</summary>
    public const string CorrelationId = "MS-CorrelationId";

    /// <summary>The locale of the caller.</summary>
    public const string Locale = "X-Locale";

    /// <summary>The name of the calling client.</summary>
    public const string Client = "MS-PartnerCenter-Client";

    /// <summary>The continuation token of a paged collection.</summary>
    public const string ContinuationToken = "MS-ContinuationToken";

    /// <summary>Response header: Partner Center's correlation vector, for support cases.</summary>
    public const string CorrelationVector = "MS-CV";

    /// <summary>Response header: the server that answered, for support cases.</summary>
    public const string ServerId = "MS-ServerId";

    /// <summary>The locale sent when none is configured.</summary>
    public const string DefaultLocale = "en-US";

    /// <summary>The value of <see cref="Client"/> and the product of the User-Agent.</summary>
    public const string ClientName = "PartnerCenterUsage";

    private static readonly string ClientVersion =
        typeof(PartnerCenterHeaders).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    private static readonly ProductInfoHeaderValue UserAgent = new(ClientName, ClientVersion);

    internal static void Apply(HttpRequestMessage request, string accessToken, Guid requestId, Guid correlationId, string locale)
    {
        var headers = request.Headers;
        headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        headers.UserAgent.Add(UserAgent);
        headers.TryAddWithoutValidation(RequestId, requestId.ToString("D", CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(CorrelationId, correlationId.ToString("D", CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(Locale, locale);
        headers.TryAddWithoutValidation(Client, ClientName);
    }

    /// <summary>
    /// True when a value taken from a response (a continuation token, a next link) can be sent as it is: visible ASCII
    /// and spaces only, no CR/LF that could smuggle a second request, nothing a header cannot carry.
    /// </summary>
    public static bool IsSafeValue(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
