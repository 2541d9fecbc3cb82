namespace PartnerCenterUsage.Engine.Http;

/// <summary>Partner Center error codes the module reacts to.</summary>
public static class PartnerCenterErrorCodes
{
    /// <summary>401: the App+User token was not obtained with multi-factor authentication.</summary>
    public const string MfaRequired = "900421";
}
