#Requires -Version 5.1
<#
.SYNOPSIS
    Tries the built module in Windows PowerShell 5.1 (powershell.exe) against the local simulator, one line per step.

.DESCRIPTION
    What no Linux machine can show: the module imported into Windows PowerShell 5.1 (.NET Framework), its engine and
    dependencies loaded from Dependencies\Desktop, next to Az.Accounts and Microsoft.Graph.Authentication and their own
    MSAL in the same process, and every cmdlet run against the simulator.

    Each step writes exactly one line: "PASS <step>[: <what was seen>]", "FAIL <step>: <message>" or
    "SKIP <step>: <why>". A failing step never stops the others. The last line is "N passed, M failed, K skipped"; the
    exit code is 1 when a step failed (2 when the script refused to run).

    Run it from a build of the repository on Windows (see CONTRIBUTING.md, "Windows PowerShell 5.1"):
        dotnet build -c Release
        powershell.exe -NoProfile -ExecutionPolicy Bypass -File tests\Windows\Test-WindowsPowerShell.ps1

    It must stay Windows PowerShell 5.1 code: no ??, no ternary, no && or ||, no -Parallel, no Join-Path with more than
    two parts, no $IsWindows, no parameters PowerShell 7 added.

.PARAMETER ModulePath
    The module manifest to try. Default: out\PartnerCenterUsage\PartnerCenterUsage.psd1 of this repository.

.PARAMETER SimulatorPath
    The built simulator. Default: src\PartnerCenterUsage.Simulator\bin\Release\net10.0\PartnerCenterUsage.Simulator.dll.

.PARAMETER SkipOtherModules
    Do not import Az.Accounts and Microsoft.Graph.Authentication even when they are installed.

.PARAMETER AllowOtherEdition
    Run in another edition than Windows PowerShell 5.1 Desktop (to try the script itself in pwsh 7); the checks that
    only mean something on Desktop are then skipped.
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string] $SimulatorPath,
    [switch] $SkipOtherModules,
    [switch] $AllowOtherEdition
)

$isDesktop = ($PSVersionTable.PSEdition -eq 'Desktop') -and ($PSVersionTable.PSVersion.Major -eq 5) -and ($PSVersionTable.PSVersion.Minor -eq 1)
if (-not $isDesktop -and -not $AllowOtherEdition) {
    $edition = $PSVersionTable.PSEdition
    if (-not $edition) { $edition = 'Desktop' }
    [Console]::Error.WriteLine("This script tries the module in Windows PowerShell 5.1 (Desktop edition), and this is PowerShell $($PSVersionTable.PSVersion) ($edition edition). Run it with powershell.exe on Windows: powershell.exe -NoProfile -ExecutionPolicy Bypass -File tests\Windows\Test-WindowsPowerShell.ps1 (or add -AllowOtherEdition to try the script itself here).")
    exit 2
}

$repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
if (-not $ModulePath) {
    $ModulePath = Join-Path (Join-Path (Join-Path $repoRoot 'out') 'PartnerCenterUsage') 'PartnerCenterUsage.psd1'
}

if (-not $SimulatorPath) {
    $SimulatorPath = $repoRoot
    foreach ($part in @('src', 'PartnerCenterUsage.Simulator', 'bin', 'Release', 'net10.0', 'PartnerCenterUsage.Simulator.dll')) { $SimulatorPath = Join-Path $SimulatorPath $part }
}

# Full paths (a relative one from the current location), as assembly locations are compared with them.
$ModulePath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ModulePath)
$SimulatorPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($SimulatorPath)

$script:Results = New-Object System.Collections.Generic.List[string]
$script:State = @{}
$script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('pcu-windows-' + [guid]::NewGuid().ToString('N'))
$script:Simulator = $null
$otherModuleNames = @('Az.Accounts', 'Microsoft.Graph.Authentication')

# A step's body returns this to be reported as skipped.
function New-Skip {
    param([string] $Why)
    New-Object psobject -Property @{ StepSkip = $true; Why = $Why }
}

<#
    Runs one step and writes its one line. The body runs with $ErrorActionPreference Stop, so that any error fails the
    step; it fails by throwing, skips by returning New-Skip, and passes otherwise, the strings it returns being what
    was seen. -Requires names the facts of earlier steps it needs (keys of $script:State): when one is missing the
    step is skipped, so that one failure is reported once.
#>
function Invoke-Step {
    param(
        [Parameter(Mandatory = $true, Position = 0)] [string] $Name,
        [Parameter(Mandatory = $true, Position = 1)] [scriptblock] $Body,
        [string[]] $Requires = @()
    )
    foreach ($need in $Requires) {
        if (-not $script:State.ContainsKey($need)) {
            Write-StepLine 'SKIP' $Name "needs $need, which an earlier step did not give"
            return
        }
    }

    try {
        $ErrorActionPreference = 'Stop'
        $output = @(& $Body)
        $skip = @($output | Where-Object { $null -ne $_ -and $_.PSObject.Properties['StepSkip'] })
        if ($skip.Count -gt 0) {
            Write-StepLine 'SKIP' $Name $skip[0].Why
        }
        else {
            $seen = @($output | Where-Object { $_ -is [string] -and $_ })
            Write-StepLine 'PASS' $Name ($seen -join '; ')
        }
    }
    catch {
        $message = $_.Exception.Message
        $id = "$($_.FullyQualifiedErrorId)"
        if ($id -and $id -ne $message -and $id -ne 'RuntimeException') {
            $message = "$message [$id]"
        }

        Write-StepLine 'FAIL' $Name $message
    }
}

function Write-StepLine {
    param([string] $Status, [string] $Name, [string] $Text)
    $line = "$Status $Name"
    if ($Text) { $line = "${line}: $(($Text -replace '\s*[\r\n]+\s*', ' ').Trim())" }
    $script:Results.Add($Status)
    $colour = @{ PASS = 'Green'; FAIL = 'Red'; SKIP = 'Yellow' }[$Status]
    Write-Host $line -ForegroundColor $colour
}

# Fails the current step with a message.
function Assert-That {
    param([bool] $Condition, [string] $Message)
    if (-not $Condition) { throw $Message }
}

# The text of a file another process still writes (Select-String and Get-Content may not share it on Windows).
function Read-SharedText {
    param([string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) { return '' }
    $stream = New-Object System.IO.FileStream($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, ([System.IO.FileShare]::ReadWrite -bor [System.IO.FileShare]::Delete))
    try {
        $reader = New-Object System.IO.StreamReader($stream)
        $reader.ReadToEnd()
    }
    finally {
        $stream.Dispose()
    }
}

# The loaded copies of an assembly, with their versions and where they came from.
function Get-LoadedAssembly {
    param([string] $Name)
    foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
        $assemblyName = $assembly.GetName()
        if ($assemblyName.Name -ne $Name) { continue }
        $location = ''
        try { $location = $assembly.Location } catch { $location = '' }
        $fileVersion = ''
        if ($location) { $fileVersion = [System.Diagnostics.FileVersionInfo]::GetVersionInfo($location).ProductVersion }
        New-Object psobject -Property @{ Name = $Name; Version = $assemblyName.Version; FileVersion = $fileVersion; Location = $location; Assembly = $assembly }
    }
}

function Format-LoadedAssembly {
    param($Loaded)
    $where = $Loaded.Location
    if (-not $where) { $where = '(no file: loaded from bytes)' }
    $gac = ''
    if ($Loaded.Assembly.GlobalAssemblyCache) { $gac = ' (the GAC: served before the module''s resolver is asked)' }
    "$($Loaded.Name) $($Loaded.Version) (file $($Loaded.FileVersion)) from $where$gac"
}

function Test-UnderFolder {
    param([string] $Path, [string] $Folder)
    if (-not $Path) { return $false }
    $folderFull = [System.IO.Path]::GetFullPath($Folder).TrimEnd('\', '/') + [System.IO.Path]::DirectorySeparatorChar
    $parent = [System.IO.Path]::GetDirectoryName([System.IO.Path]::GetFullPath($Path)) + [System.IO.Path]::DirectorySeparatorChar
    [string]::Equals($parent, $folderFull, [System.StringComparison]::OrdinalIgnoreCase)
}

function Start-Simulator {
    $log = Join-Path $script:Work 'simulator'
    # Windows PowerShell joins -ArgumentList with spaces and quotes nothing: a path with spaces is quoted here.
    $arguments = @("`"$SimulatorPath`"", '--urls', 'http://127.0.0.1:0', '--customers', '30', '--history-months', '1', '--token', 'simulator-token', '--identity-provider', 'true', '--parent-pid', "$PID")
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
    $script:Simulator = New-Object psobject -Property @{ Process = $process; Endpoint = $null; Log = $log; IdentityProvider = $null }
    $deadline = [DateTime]::UtcNow.AddMinutes(1)
    while (-not $script:Simulator.Endpoint) {
        $text = Read-SharedText "$log.out"
        $api = [regex]::Match($text, 'simulator at (http://\S+?)/? with')
        if ($api.Success) {
            $script:Simulator.Endpoint = $api.Groups[1].Value
            $idp = [regex]::Match($text, 'identity provider at (\S+) app (\S+) secret (\S+) refresh-token (\S+) certificate (\S+)')
            if ($idp.Success) {
                $script:Simulator.IdentityProvider = New-Object psobject -Property @{
                    Authority    = $idp.Groups[1].Value
                    AppId        = $idp.Groups[2].Value
                    Secret       = $idp.Groups[3].Value
                    RefreshToken = $idp.Groups[4].Value
                    Certificate  = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList @(, [Convert]::FromBase64String($idp.Groups[5].Value))
                }
            }

            break
        }

        if ($process.HasExited) { throw "The simulator exited with code $($process.ExitCode): $(Read-SharedText "$log.err")" }
        if ([DateTime]::UtcNow -gt $deadline) { throw 'The simulator did not say where it listens within a minute.' }
        Start-Sleep -Milliseconds 100
    }
}

function Stop-Simulator {
    if (-not $script:Simulator) { return }
    $process = $script:Simulator.Process
    if ($process -and -not $process.HasExited) {
        Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        $process.WaitForExit(10000) | Out-Null
    }
}

function Connect-Simulator {
    Connect-PCPartner -AccessToken 'simulator-token' -Endpoint $script:Simulator.Endpoint | Out-Null
}

try {
    New-Item -ItemType Directory -Path $script:Work -Force | Out-Null
    Write-Host "PartnerCenterUsage on PowerShell $($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition)), module $ModulePath"

    Invoke-Step 'Start the simulator' {
        Assert-That (Test-Path -LiteralPath $SimulatorPath) "The simulator is not built ($SimulatorPath): run 'dotnet build -c Release' first, or give -SimulatorPath."
        Start-Simulator
        $script:State.Simulator = $true
        "at $($script:Simulator.Endpoint)"
    }

    # Az.Accounts and Microsoft.Graph.Authentication first, so that their MSAL is the one loaded before the module's.
    Invoke-Step 'Import Az.Accounts and Microsoft.Graph.Authentication first' {
        if ($SkipOtherModules) { return New-Skip '-SkipOtherModules' }
        $seen = @()
        foreach ($name in $otherModuleNames) {
            $available = Get-Module -ListAvailable -Name $name | Sort-Object Version -Descending | Select-Object -First 1
            if (-not $available) { $seen += "$name not installed"; continue }
            $module = Import-Module -Name $available.Path -PassThru -DisableNameChecking
            $script:State.OtherModules = $true
            $seen += "$name $($module.Version)"
        }

        if (-not $script:State.OtherModules) {
            return New-Skip "neither is installed: Install-Module Az.Accounts, Microsoft.Graph.Authentication -Scope CurrentUser, then run this again"
        }

        $msal = @(Get-LoadedAssembly 'Microsoft.Identity.Client')
        $script:State.OtherMsal = $msal
        if ($msal.Count -eq 0) { $seen += 'they loaded no Microsoft.Identity.Client at import' }
        foreach ($loaded in $msal) { $seen += 'their ' + (Format-LoadedAssembly $loaded) }
        $seen
    }

    Invoke-Step 'Import-Module' {
        Assert-That (Test-Path -LiteralPath $ModulePath) "The module is not built ($ModulePath): run 'dotnet build -c Release' (or ./build.ps1) first, or give -ModulePath."
        $module = Import-Module -Name $ModulePath -PassThru -Force
        $script:State.Module = $module
        "$($module.Name) $($module.Version) from $($module.ModuleBase)"
    }

    Invoke-Step 'Edition and CLR' {
        # RuntimeInformation is part of .NET Framework from 4.7.1 on; the module needs 4.7.2.
        $runtime = 'System.Runtime.InteropServices.RuntimeInformation' -as [type]
        $framework = '(no RuntimeInformation: .NET Framework older than 4.7.1)'
        if ($runtime) { $framework = $runtime::FrameworkDescription }
        $seen = "PowerShell $($PSVersionTable.PSVersion) $($PSVersionTable.PSEdition), CLR $([Environment]::Version), $framework"
        if ($isDesktop) {
            # 461808 is .NET Framework 4.7.2, the manifest's DotNetFrameworkVersion.
            $release = $null
            try { $release = (Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release).Release } catch { $release = $null }
            if ($release) { $seen = "$seen (release $release)" }
            Assert-That ($PSVersionTable.CLRVersion.Major -eq 4) "Windows PowerShell on CLR $($PSVersionTable.CLRVersion), not 4."
            Assert-That ($framework -like '.NET Framework 4.*') "Not .NET Framework 4.7.2 or later: $framework."
            Assert-That ((-not $release) -or ($release -ge 461808)) ".NET Framework release $release is older than 4.7.2 (461808)."
            $seen
        }
        else {
            "$seen (not Windows PowerShell 5.1: allowed by -AllowOtherEdition)"
        }
    }

    Invoke-Step 'Connect-PCPartner -AccessToken' -Requires Module, Simulator {
        Connect-Simulator
        $script:State.Connected = $true
        "to $($script:Simulator.Endpoint)"
    }

    Invoke-Step 'Get-PCContext' -Requires Connected {
        $context = @(Get-PCContext)
        Assert-That ($context.Count -eq 1) "Expected one context, got $($context.Count)."
        Assert-That ("$($context[0].ApiEndpoint)".TrimEnd('/') -eq $script:Simulator.Endpoint.TrimEnd('/')) "The context's endpoint is $($context[0].ApiEndpoint), not the simulator's."
        "$($context[0].SignInKind) at $($context[0].ApiEndpoint)"
    }

    Invoke-Step 'Get-PCCustomer' -Requires Connected {
        $customers = @(Get-PCCustomer)
        Assert-That ($customers.Count -gt 0) 'No customers.'
        $script:State.Customers = $customers
        "$($customers.Count) customers"
    }

    Invoke-Step 'Get-PCCustomer | Get-PCCustomerLicenseUsage' -Requires Connected {
        $rows = @(Get-PCCustomer | Get-PCCustomerLicenseUsage)
        Assert-That ($rows.Count -gt 0) 'No usage rows.'
        $script:State.CustomerUsage = $rows
        "$($rows.Count) rows"
    }

    Invoke-Step 'Get-PCCustomerLicenseDeployment' -Requires Customers {
        $rows = @($script:State.Customers | Get-PCCustomerLicenseDeployment)
        Assert-That ($rows.Count -gt 0) 'No deployment rows.'
        "$($rows.Count) rows"
    }

    Invoke-Step 'Get-PCCustomerSubscribedSku' -Requires Customers {
        $rows = @($script:State.Customers | Get-PCCustomerSubscribedSku)
        Assert-That ($rows.Count -gt 0) 'No subscribed SKUs.'
        "$($rows.Count) rows"
    }

    Invoke-Step 'Get-PCCustomerSubscription' -Requires Customers {
        $rows = @($script:State.Customers | Get-PCCustomerSubscription)
        Assert-That ($rows.Count -gt 0) 'No subscriptions.'
        "$($rows.Count) subscriptions"
    }

    Invoke-Step 'Get-PCLicenseUsage' -Requires Connected {
        $rows = @(Get-PCLicenseUsage)
        Assert-That ($rows.Count -gt 0) 'No usage rows.'
        $script:State.Usage = $rows
        $latest = $rows | ForEach-Object { $_.ProcessedDateTime } | Where-Object { $_ } | Sort-Object -Descending | Select-Object -First 1
        "$($rows.Count) rows, the latest processed $(([DateTimeOffset] $latest).ToString('yyyy-MM-dd'))"
    }

    Invoke-Step 'Get-PCLicenseDeployment' -Requires Connected {
        $rows = @(Get-PCLicenseDeployment)
        Assert-That ($rows.Count -gt 0) 'No deployment rows.'
        $script:State.Deployment = $rows
        "$($rows.Count) rows"
    }

    Invoke-Step 'Get-PCLicenseUsage -GroupBy ProductName' -Requires Connected {
        $rows = @(Get-PCLicenseUsage -GroupBy ProductName)
        Assert-That ($rows.Count -gt 0) 'No grouped rows.'
        Assert-That (@($rows | Where-Object { $_.ProductName }).Count -eq $rows.Count) 'A grouped row has no ProductName.'
        "$($rows.Count) products"
    }

    Invoke-Step 'Get-PCPartnerLicenseUsage' -Requires Connected {
        $rows = @(Get-PCPartnerLicenseUsage)
        Assert-That ($rows.Count -gt 0) 'No rows.'
        "$($rows.Count) rows"
    }

    Invoke-Step 'Get-PCPartnerLicenseDeployment' -Requires Connected {
        $rows = @(Get-PCPartnerLicenseDeployment)
        Assert-That ($rows.Count -gt 0) 'No rows.'
        "$($rows.Count) rows"
    }

    Invoke-Step 'Get-PCLicenseReduction' -Requires Connected {
        $rows = @(Get-PCLicenseReduction)
        Assert-That ($rows.Count -gt 0) 'No rows.'
        "$($rows.Count) rows"
    }

    # The simulator's previous month (--history-months 1): the month before the latest processed date.
    Invoke-Step 'Export-PCLicenseReport of last month' -Requires Usage {
        $latest = [DateTimeOffset] ($script:State.Usage | ForEach-Object { $_.ProcessedDateTime } | Where-Object { $_ } | Sort-Object -Descending | Select-Object -First 1)
        $lastMonth = New-Object DateTimeOffset($latest.Year, $latest.Month, 1, 0, 0, 0, [TimeSpan]::Zero)
        $lastMonth = $lastMonth.AddMonths(-1)
        $file = Join-Path $script:Work 'last-month.html'
        $rows = @(Get-PCLicenseUsage -ProcessedDateTime $lastMonth) + @(Get-PCLicenseDeployment -ProcessedDateTime $lastMonth)
        Assert-That ($rows.Count -gt 0) "No rows for $($lastMonth.ToString('yyyy-MM-dd'))."
        $rows | Export-PCLicenseReport -LiteralPath $file -Title 'Last month' | Out-Null
        Assert-That (Test-Path -LiteralPath $file) "No file at $file."
        $script:State.LastMonthReport = $file
        "$($rows.Count) rows of $($lastMonth.ToString('yyyy-MM-dd')), $((Get-Item -LiteralPath $file).Length) bytes"
    }

    Invoke-Step 'Import-PCLicenseReport' -Requires LastMonthReport {
        $figures = @(Import-PCLicenseReport -LiteralPath $script:State.LastMonthReport)
        Assert-That ($figures.Count -gt 0) 'No figures.'
        $qualified = 0
        foreach ($figure in $figures) { if ($figure.LicensesQualified) { $qualified += $figure.LicensesQualified } }
        Assert-That ($qualified -gt 0) 'The figures count no qualified license.'
        "$($figures.Count) figures, $qualified licenses qualified"
    }

    Invoke-Step 'Export-PCLicenseReport -Baseline' -Requires LastMonthReport, Usage, Deployment {
        $file = Join-Path $script:Work 'this-month.html'
        @($script:State.Usage) + @($script:State.Deployment) | Export-PCLicenseReport -LiteralPath $file -Baseline $script:State.LastMonthReport -Title 'This month' | Out-Null
        $page = [System.IO.File]::ReadAllText($file)
        Assert-That ($page.Contains('id="since-baseline"')) 'The page has no section id="since-baseline".'
        'the page compares with last month'
    }

    Invoke-Step 'Format-Table of usage rows' -Requires Usage {
        $text = $script:State.Usage | Select-Object -First 20 | Format-Table | Out-String -Width 160
        Assert-That ($text.Trim().Length -gt 0) 'Format-Table rendered nothing.'
        $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
        Assert-That ($lines.Count -ge 3) "Format-Table rendered $($lines.Count) lines."
        "$($lines.Count) lines, header: $($lines[0].Trim())"
    }

    # The Secure Application Model, through real MSAL against the simulator's identity provider (loopback HTTPS with
    # a self-signed certificate, pinned with -AuthorityCertificate): no browser.
    Invoke-Step 'Connect-PCPartner -ApplicationId -Credential -RefreshToken (MSAL)' -Requires Module, Simulator {
        $idp = $script:Simulator.IdentityProvider
        if (-not $idp) { return New-Skip 'the simulator offers no identity provider (no "identity provider at" line)' }
        $credential = New-Object System.Management.Automation.PSCredential($idp.AppId, (ConvertTo-SecureString $idp.Secret -AsPlainText -Force))
        $refreshToken = ConvertTo-SecureString $idp.RefreshToken -AsPlainText -Force
        Connect-PCPartner -ApplicationId $idp.AppId -Credential $credential -RefreshToken $refreshToken -Authority $idp.Authority -AuthorityCertificate $idp.Certificate -Endpoint $script:Simulator.Endpoint | Out-Null
        $context = @(Get-PCContext)
        Assert-That ($context.Count -eq 1) 'No context after the sign-in.'
        $customers = @(Get-PCCustomer)
        Assert-That ($customers.Count -gt 0) 'No customers with the MSAL token.'
        "$($context[0].SignInKind) as $($context[0].Account), $($customers.Count) customers"
    }

    Invoke-Step 'Engine and dependencies loaded from Dependencies\Desktop' -Requires Module {
        $base = $script:State.Module.ModuleBase
        $dependencies = Join-Path $base 'Dependencies'
        $desktop = Join-Path $dependencies 'Desktop'
        $split = Test-Path -LiteralPath $desktop
        $found = @()
        $problems = @()
        foreach ($name in @('PartnerCenterUsage.Engine', 'System.Text.Json', 'Microsoft.Identity.Client')) {
            $copies = @(Get-LoadedAssembly $name)
            if ($copies.Count -eq 0) {
                if ($name -eq 'Microsoft.Identity.Client') { $found += "$name not loaded (no MSAL sign-in ran in this process)" }
                else { $problems += "$name is not loaded" }
                continue
            }

            $ours = @($copies | Where-Object { (Test-UnderFolder $_.Location $desktop) -or (-not $split -and (Test-UnderFolder $_.Location $dependencies)) })
            foreach ($copy in $copies) { $found += Format-LoadedAssembly $copy }
            if ($ours.Count -eq 0) { $problems += "no $name from the module's $(if ($split) { 'Dependencies\Desktop' } else { 'Dependencies' }) folder" }
        }

        # Every other shipped name too, wherever it was loaded from (or not loaded), so that a GAC copy that hides the
        # resolver's work shows in the output.
        if ($split) {
            foreach ($file in @(Get-ChildItem -LiteralPath $desktop -Filter '*.dll')) {
                $name = [System.IO.Path]::GetFileNameWithoutExtension($file.Name)
                if (@('PartnerCenterUsage.Engine', 'System.Text.Json', 'Microsoft.Identity.Client') -contains $name) { continue }
                $copies = @(Get-LoadedAssembly $name)
                if ($copies.Count -eq 0) { $found += "$name not loaded" }
                foreach ($copy in $copies) { $found += Format-LoadedAssembly $copy }
            }
        }

        $summary = $found -join '; '
        if (-not $isDesktop) { return New-Skip "only Windows PowerShell loads from Dependencies\Desktop; found: $summary" }
        if ($problems.Count -gt 0) { throw "$($problems -join '; '). Found: $summary" }
        if (-not $split) { $summary = "flat Dependencies folder (the layout before Dependencies\Core and Dependencies\Desktop): $summary" }
        $summary
    }

    Invoke-Step 'Az.Accounts and Microsoft.Graph.Authentication keep their MSAL' -Requires Module {
        if (-not $script:State.OtherModules) { return New-Skip 'neither was imported (see the import step above)' }
        $before = @($script:State.OtherMsal)
        $now = @(Get-LoadedAssembly 'Microsoft.Identity.Client')
        $seen = @()
        foreach ($theirs in $before) {
            $still = @($now | Where-Object { [object]::ReferenceEquals($_.Assembly, $theirs.Assembly) })
            Assert-That ($still.Count -eq 1) "Their $(Format-LoadedAssembly $theirs) is no longer loaded."
        }

        foreach ($copy in $now) {
            $isTheirs = @($before | Where-Object { [object]::ReferenceEquals($_.Assembly, $copy.Assembly) }).Count -gt 0
            $whose = 'ours'
            if ($isTheirs) { $whose = 'theirs' }
            $seen += "$whose $(Format-LoadedAssembly $copy)"
        }

        # Their own commands that read their MSAL-backed state still run beside the module.
        if (Get-Module Az.Accounts) { Get-AzContext -ListAvailable | Out-Null; $seen += 'Get-AzContext runs' }
        if (Get-Module Microsoft.Graph.Authentication) { Get-MgContext | Out-Null; $seen += 'Get-MgContext runs' }
        if ($before.Count -eq 0) { $seen += 'they had loaded no MSAL at import' }
        $seen
    }

    Invoke-Step 'Disconnect-PCPartner' -Requires Module {
        Disconnect-PCPartner
        Assert-That (@(Get-PCContext).Count -eq 0) 'Get-PCContext still writes a context.'
        $refused = $null
        try { Get-PCCustomer | Out-Null } catch { $refused = $_ }
        Assert-That ($null -ne $refused) 'Get-PCCustomer ran after Disconnect-PCPartner.'
        Assert-That ($refused.FullyQualifiedErrorId -like 'NotConnected*') "Get-PCCustomer failed with $($refused.FullyQualifiedErrorId), not NotConnected."
        'the next command is NotConnected'
    }

    Invoke-Step 'Remove-Module and Import-Module again' -Requires Module, Simulator {
        Remove-Module -Name PartnerCenterUsage
        Assert-That (-not (Get-Module -Name PartnerCenterUsage)) 'The module is still imported after Remove-Module.'
        $module = Import-Module -Name $ModulePath -PassThru
        Connect-Simulator
        $customers = @(Get-PCCustomer)
        Disconnect-PCPartner
        Assert-That ($customers.Count -gt 0) 'No customers after importing again.'
        $engines = @(Get-LoadedAssembly 'PartnerCenterUsage.Engine')
        "$($module.Version) again, $($customers.Count) customers, $($engines.Count) engine assembly loaded"
    }
}
finally {
    Stop-Simulator
    if (Test-Path -LiteralPath $script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

$passed = @($script:Results | Where-Object { $_ -eq 'PASS' }).Count
$failed = @($script:Results | Where-Object { $_ -eq 'FAIL' }).Count
$skipped = @($script:Results | Where-Object { $_ -eq 'SKIP' }).Count
Write-Host "$passed passed, $failed failed, $skipped skipped"
if ($failed -gt 0) { exit 1 }
exit 0
