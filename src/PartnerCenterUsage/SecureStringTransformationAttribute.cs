using System;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace PartnerCenterUsage;

/// <summary>
/// Lets a SecureString parameter also take a plain string, as admins paste tokens from other tools. Anything else is
/// refused here, naming its type only: PowerShell's own binding error would print the value, and a token-endpoint
/// answer passed whole holds the token.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            SecureString secure => secure,
            string text => new NetworkCredential(string.Empty, text).SecurePassword,
            null => null!,
            _ => throw new ArgumentTransformationMetadataException(
                $"A {value.GetType().FullName} is not a token: pass the token itself, as a string or a SecureString (for a token-endpoint answer, its access_token property). Its value is not shown."),
        };
    }
}
