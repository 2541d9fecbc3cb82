using System.Collections.Generic;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Identity.Client;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>Reads what went wrong from an MSAL failure: Entra's error_codes in the answer, else the AADSTS code of its text.</summary>
internal static class MsalSignInFailures
{
    private static readonly Regex AadstsCode = new(@"AADSTS(\d+)", RegexOptions.CultureInvariant);

    /// <param name="exception">What MSAL threw.</param>
    /// <param name="redeemingRefreshToken">
    /// True when the request redeemed a refresh token: only then is a generic invalid grant (AADSTS70000) about the
    /// refresh token rather than an authorization or device code.
    /// </param>
    public static SignInFailure Classify(MsalException exception, bool redeemingRefreshToken)
    {
        foreach (var code in Codes(exception))
        {
            switch (code)
            {
                case 700082 or 70008:
                    return SignInFailure.RefreshTokenExpired;
                case 50173 or 70043 or 50133 or 700084:
                    return SignInFailure.RefreshTokenRevoked;
                case 70000 or 9002313 when redeemingRefreshToken:
                    return SignInFailure.RefreshTokenRevoked;
                case 50076 or 50078 or 50079:
                    return SignInFailure.MfaRequired;
            }
        }

        return SignInFailure.Other;
    }

    private static IEnumerable<int> Codes(MsalException exception)
    {
        var codes = new List<int>();
        if (exception is MsalServiceException { ResponseBody: { Length: > 0 } body })
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error_codes", out var array) && array.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in array.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var code))
                        {
                            codes.Add(code);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not Entra's JSON (a proxy's page): the message may still name the code.
            }
        }

        foreach (Match match in AadstsCode.Matches(exception.Message ?? string.Empty))
        {
            if (int.TryParse(match.Groups[1].Value, out var code))
            {
                codes.Add(code);
            }
        }

        return codes;
    }
}
