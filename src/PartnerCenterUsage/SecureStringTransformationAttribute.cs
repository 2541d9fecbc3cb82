using System;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace PartnerCenterUsage;

/// <summary>
/// Lets a SecureString parameter also take a plain string, as admins paste tokens from other tools.
/// Anything else is passed on so PowerShell reports its own binding error.
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
            _ => inputData,
        };
    }
}
