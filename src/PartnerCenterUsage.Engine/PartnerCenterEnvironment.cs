namespace PartnerCenterUsage.Engine;

/// <summary>The Partner Center cloud a connection talks to.</summary>
public enum PartnerCenterEnvironment
{
    /// <summary>The global cloud (api.partnercenter.microsoft.com), also used for US Government customers.</summary>
    Global,

    /// <summary>Partner Center operated by 21Vianet in China.</summary>
    China,
}
