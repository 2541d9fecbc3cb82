namespace PartnerCenterUsage.Engine;

/// <summary>The Partner Center cloud a connection talks to.</summary>
public enum PartnerCenterEnvironment
{
    /// <summary>The global cloud: api.partnercenter.microsoft.com, signed in at login.microsoftonline.com.</summary>
    Global,

    /// <summary>Partner Center operated by 21Vianet: partner.partnercenterapi.microsoftonline.cn, signed in at login.chinacloudapi.cn.</summary>
    China,

    /// <summary>Partner Center for US Government: the global API, signed in at login.microsoftonline.us.</summary>
    USGovernment,
}
