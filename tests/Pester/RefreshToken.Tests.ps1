# What a user sees in real pwsh when a Secure Application Model job keeps its refresh token: a stand-in SecretManagement
# vault (functions of the session, which is how PowerShell finds Get-Secret and Set-Secret) or a script block, against
# the simulator's identity provider through real MSAL.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module (Get-BuiltModule) -Force

    # The simulator with its identity provider: the line it writes names the authority, the app and a refresh token.
    $log = Join-Path ([System.IO.Path]::GetTempPath()) ("pcu-idp-" + [guid]::NewGuid().ToString('N'))
    $process = Start-Process -FilePath 'dotnet' -PassThru -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err" `
        -ArgumentList @((Get-BuiltSimulator), '--urls', 'http://127.0.0.1:0', '--customers', 5, '--identity-provider', 'true', '--parent-pid', $PID)
    $deadline = [DateTime]::UtcNow.AddMinutes(1)
    $script:World = $null
    while (-not $script:World) {
        if ($process.HasExited) { throw "The simulator exited: $(Get-Content "$log.err" -Raw)" }
        if ([DateTime]::UtcNow -gt $deadline) { Stop-Process -Id $process.Id -Force; throw 'The simulator did not start within a minute.' }
        $idp = Select-String -Path "$log.out" -Pattern 'identity provider at (\S+) app (\S+) secret (\S+) refresh-token (\S+) certificate (\S+)' -ErrorAction SilentlyContinue | Select-Object -First 1
        $api = Select-String -Path "$log.out" -Pattern 'simulator at (http://\S+?)/? with' -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($idp -and $api) {
            $g = $idp.Matches[0].Groups
            $script:World = [pscustomobject]@{
                Process = $process; Log = $log; Endpoint = $api.Matches[0].Groups[1].Value
                Authority = $g[1].Value; AppId = $g[2].Value; Secret = $g[3].Value; RefreshToken = $g[4].Value
                Certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String($g[5].Value))
            }
        } else { Start-Sleep -Milliseconds 50 }
    }

    $script:Signin = @{
        Credential           = [pscredential]::new($World.AppId, (ConvertTo-SecureString $World.Secret -AsPlainText -Force))
        Endpoint             = $World.Endpoint
        Authority            = $World.Authority
        AuthorityCertificate = $World.Certificate
    }

    function global:Get-Secret { [CmdletBinding()] param([string] $Name, [string] $Vault) if (-not $global:Store.ContainsKey("$Vault/$Name")) { throw "The secret $Name was not found in the vault $Vault." } $global:Store["$Vault/$Name"] }
    function global:Set-Secret { [CmdletBinding()] param([string] $Name, [string] $Vault, $Secret) if ($global:Store['Locked']) { throw 'The vault is locked.' } $global:Store["$Vault/$Name"] = $Secret }
    function global:Get-SecretInfo { [CmdletBinding()] param([string] $Name, [string] $Vault) [pscustomobject]@{ Name = $Name; Metadata = $global:Store["$Vault/$Name/metadata"] } }
    function global:Set-SecretInfo { [CmdletBinding()] param([string] $Name, [string] $Vault, [hashtable] $Metadata) $global:Store["$Vault/$Name/metadata"] = $Metadata }
}

AfterAll {
    Disconnect-PCPartner -ErrorAction SilentlyContinue
    Remove-Item function:global:Get-Secret, function:global:Set-Secret, function:global:Get-SecretInfo, function:global:Set-SecretInfo -ErrorAction SilentlyContinue
    if ($script:World) {
        Stop-Process -Id $World.Process.Id -Force -ErrorAction SilentlyContinue
        $World.Process.WaitForExit(10000) | Out-Null
        Remove-Item "$($World.Log).out", "$($World.Log).err" -ErrorAction SilentlyContinue
    }
}

Describe 'Keeping the refresh token of an unattended job' {
    It 'reads the token from the vault, writes the renewed one back, and says so in the verbose stream only' {
        $global:Store = @{ 'Jobs/PartnerCenter' = (ConvertTo-SecureString $World.RefreshToken -AsPlainText -Force) }

        $verbose = Connect-PCPartner @Signin -RefreshTokenVault Jobs -RefreshTokenSecretName PartnerCenter -Verbose -WarningVariable warnings 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $rows = Get-PCCustomerLicenseUsage -CustomerId $SeedCustomer

        $kept = [System.Net.NetworkCredential]::new('', $global:Store['Jobs/PartnerCenter']).Password
        $kept | Should -Not -Be $World.RefreshToken
        $kept | Should -Match '^rt\.'
        $global:Store['Jobs/PartnerCenter/metadata'].PartnerCenterUsageIssuedOn | Should -Not -BeNullOrEmpty
        $verbose | Should -Contain "The renewed refresh token was kept in the vault 'Jobs' as 'PartnerCenter'."
        ($verbose -join "`n") | Should -Not -Match ([regex]::Escape($kept))
        $warnings | Should -BeNullOrEmpty
        $rows | Should -Not -BeNullOrEmpty
    }

    It 'shows a failing Set-Secret as a warning, and the report still runs' {
        $global:Store = @{ 'Jobs/PartnerCenter' = (ConvertTo-SecureString $World.RefreshToken -AsPlainText -Force); Locked = $true }

        Connect-PCPartner @Signin -RefreshTokenVault Jobs -RefreshTokenSecretName PartnerCenter -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        $rows = Get-PCCustomerLicenseUsage -CustomerId $SeedCustomer

        $warnings.Count | Should -Be 1
        "$warnings" | Should -Match "Could not keep the renewed refresh token in the vault 'Jobs' \(secret 'PartnerCenter'\): The vault is locked\."
        $rows | Should -Not -BeNullOrEmpty
    }

    It 'hands the renewed token and when it was seen to the script block' {
        $script:handed = $null
        Connect-PCPartner @Signin -RefreshToken $World.RefreshToken -OnRefreshTokenRenewed { param($token, $issuedOn) $script:handed = [pscustomobject]@{ Token = $token; IssuedOn = $issuedOn } } | Out-Null

        $handed.Token | Should -BeOfType [securestring]
        $handed.IssuedOn | Should -BeOfType [DateTimeOffset]
        [System.Net.NetworkCredential]::new('', $handed.Token).Password | Should -Not -Be $World.RefreshToken
    }

    It 'warns when the token given was kept more than 60 days ago' {
        Connect-PCPartner @Signin -RefreshToken $World.RefreshToken -RefreshTokenIssuedOn ([DateTimeOffset]::Now.AddDays(-70)) -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null

        "$warnings" | Should -Match 'was kept 70 days ago'
        "$warnings" | Should -Match 'Nothing keeps the renewed one'
    }

    It 'refuses a token that is not valid with RefreshTokenRevoked and says what to do, never echoing it' {
        $bogus = 'rt.' + [guid]::NewGuid().ToString('N')

        $caught = try { Connect-PCPartner @Signin -RefreshToken $bogus; $null } catch { $_ }

        $caught.FullyQualifiedErrorId | Should -BeLike 'RefreshTokenRevoked,*'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'MFA sign-in'
        ($caught | Out-String) + $caught.ErrorDetails.RecommendedAction | Should -Not -Match ([regex]::Escape($bogus))
    }
}
