#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Export-PCLicenseReport's file as a user's shell sees it, in a real pwsh against the built simulator: what is at the
    path keeps its kind and permissions or is refused before the first request, a folder or a disk that cannot take the
    page is found before the portfolio is fetched, a killed run's temporary file goes with the next run; an array given
    to -InputObject is its rows; counts near the largest a long holds are summed without wrapping. Linux (its file kinds).
    Run with tests/Pester/Invoke-PesterSuite.ps1 (or `dotnet test`, which runs it in the pinned pwsh).
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Module = Get-BuiltModule
    # Small pages: the whole portfolio is many requests, so "before the first request" means something.
    $script:Simulator = Start-TestSimulator -Customers 200 -CommercialPageSize 20
    Import-Module $script:Module -Force
    Connect-PCPartner -AccessToken simulator-token -Endpoint $script:Simulator.Endpoint | Out-Null
    $script:Root = (id -u) -eq '0'
    $script:OldPage = "<p>last month's report</p>"

    function Get-Requests { Get-SimulatorRequestCount $script:Simulator }

    function New-Folder {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        (New-Item -ItemType Directory -Path $folder).FullName
    }

    # Runs Get-PCLicenseUsage | Export-PCLicenseReport to $Path, and says how it ended and how many requests it sent.
    function Invoke-Export {
        param([string] $Path)
        $before = Get-Requests
        $errorId = $null
        $message = $null
        try { Get-PCLicenseUsage | Export-PCLicenseReport -Path $Path -ErrorAction Stop | Out-Null }
        catch { $errorId = $_.FullyQualifiedErrorId; $message = $_.ToString() }
        [pscustomobject]@{ ErrorId = $errorId; Message = $message; Requests = (Get-Requests) - $before }
    }
}

AfterAll {
    Disconnect-PCPartner -ErrorAction SilentlyContinue
    Stop-TestSimulator $script:Simulator
}

Describe 'Export-PCLicenseReport and what is at its path' -Skip:(-not $IsLinux) {
    It 'keeps a private (0600) file private, as Out-File does' {
        $folder = New-Folder
        $path = Join-Path $folder 'private.html'
        Set-Content -LiteralPath $path -Value $script:OldPage
        chmod 0600 $path

        (Invoke-Export $path).ErrorId | Should -BeNullOrEmpty

        stat -c '%a %F' $path | Should -Be '600 regular file'
        Get-Content -Raw -LiteralPath $path | Should -BeLike '<!DOCTYPE html>*'
        @(Get-ChildItem -Force -LiteralPath $folder).Name | Should -Be 'private.html'
    }

    It 'refuses a symbolic link before the first request, and leaves the link and its file as they were' {
        $folder = New-Folder
        $target = Join-Path $folder 'kept.html'
        Set-Content -LiteralPath $target -Value $script:OldPage
        $link = Join-Path $folder 'link.html'
        ln -s $target $link

        $export = Invoke-Export $link

        $export.ErrorId | Should -BeLike 'ReportPathIsLink,*'
        $export.Requests | Should -Be 0
        (Get-Item -LiteralPath $link).LinkTarget | Should -Be $target
        (Get-Content -Raw -LiteralPath $target).Trim() | Should -Be $script:OldPage
    }

    It 'refuses a named pipe before the first request, and it stays a pipe' {
        $pipe = Join-Path (New-Folder) 'pipe.html'
        mkfifo $pipe

        $export = Invoke-Export $pipe

        $export.ErrorId | Should -BeLike 'ReportPathNotFile,*'
        $export.Message | Should -BeLike '*is a named pipe (FIFO), not a file*'
        $export.Requests | Should -Be 0
        stat -c '%F' $pipe | Should -Be 'fifo'
    }

    It 'refuses a folder that takes no file before the first request' {
        # 0555 refuses any account but root; root writes anywhere the kernel lets it, and sysfs refuses everyone.
        $folder = New-Folder
        chmod 0555 $folder
        if ($script:Root) { $folder = '/sys/kernel' }
        { [System.IO.File]::Create((Join-Path $folder 'probe')).Dispose() } | Should -Throw

        $export = Invoke-Export (Join-Path $folder 'report.html')

        $export.Requests | Should -Be 0
        $export.ErrorId | Should -BeLike 'ReportWriteFailed,*'
        $export.Message | Should -BeLike "*The folder '$folder' does not take a new file*"
    }

    It 'refuses a disk with no room before the first request, and keeps the old file' -Skip:(-not (Get-Command bash -ErrorAction SilentlyContinue)) {
        # A limit on file sizes (ulimit -f, which binds root too) stands in for a full disk: the write fails the same way,
        # with SIGXFSZ ignored. The runtime's double-mapped code memory is a file too: W^X is turned off for it.
        $folder = New-Folder
        $path = Join-Path $folder 'report.html'
        Set-Content -LiteralPath $path -Value $script:OldPage
        $script = Join-Path $folder 'full.ps1'
        Set-Content -LiteralPath $script -Value @"
Import-Module '$script:Module'
Connect-PCPartner -AccessToken simulator-token -Endpoint '$($script:Simulator.Endpoint)' | Out-Null
try { Get-PCLicenseUsage | Export-PCLicenseReport -Path '$path' -ErrorAction Stop | Out-Null; 'written' }
catch { `$_.FullyQualifiedErrorId + ': ' + `$_.Exception.Message }
"@
        $pwsh = Join-Path $PSHOME 'pwsh.dll'
        $before = Get-Requests
        $env:DOTNET_EnableWriteXorExecute = '0'
        try { $said = bash -c "trap '' XFSZ; ulimit -f 32; exec dotnet '$pwsh' -NoProfile -NonInteractive -File '$script'" 2>&1 }
        finally { Remove-Item Env:DOTNET_EnableWriteXorExecute }

        (Get-Requests) - $before | Should -Be 0
        "$said" | Should -BeLike "ReportWriteFailed,*The folder '$folder' has no room for the report*"
        (Get-Content -Raw -LiteralPath $path).Trim() | Should -Be $script:OldPage
        @(Get-ChildItem -Force -LiteralPath $folder).Name | Sort-Object | Should -Be @('full.ps1', 'report.html')
    }

    It 'leaves a temporary file when killed (kill -9), and the next export to the path removes it' {
        $folder = New-Folder
        $path = Join-Path $folder 'report.html'
        Set-Content -LiteralPath $path -Value $script:OldPage
        $script = Join-Path $folder 'killed.ps1'
        # The export's folder is checked, and its temporary file made, before the first row comes; the rows never come.
        Set-Content -LiteralPath $script -Value "Import-Module '$script:Module'; 1 | ForEach-Object { Start-Sleep -Seconds 600 } | Export-PCLicenseReport -Path '$path'"
        $killed = Start-Process -FilePath dotnet -ArgumentList (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $script -PassThru
        try {
            $deadline = [DateTime]::UtcNow.AddMinutes(1)
            while (-not (Get-ChildItem -Force -LiteralPath $folder -Filter '.report.html.*.partial') -and [DateTime]::UtcNow -lt $deadline -and -not $killed.HasExited) {
                Start-Sleep -Milliseconds 20
            }
        }
        finally { Stop-Process -Id $killed.Id -Force; $killed.WaitForExit() }
        $left = @(Get-ChildItem -Force -LiteralPath $folder -Filter '.report.html.*.partial')
        $left | Should -HaveCount 1

        $file = Get-PCLicenseUsage | Export-PCLicenseReport -Path $path -Verbose 4>&1 | Tee-Object -Variable said | Where-Object { $_ -is [System.IO.FileInfo] }

        $file.FullName | Should -Be $path
        ($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Removed 1 temporary file of '$path' left by an earlier run that did not end."
        @(Get-ChildItem -Force -LiteralPath $folder).Name | Sort-Object | Should -Be @('killed.ps1', 'report.html')
    }
}

Describe 'Export-PCLicenseReport -InputObject' {
    It 'takes an array as its rows, the same report as piping them' {
        $rows = @(Get-PCLicenseUsage)
        $piped = $rows | Export-PCLicenseReport -Path (Join-Path $TestDrive 'piped.html')
        $given = Export-PCLicenseReport -Path (Join-Path $TestDrive 'given.html') -InputObject $rows -ErrorVariable refused

        $refused | Should -BeNullOrEmpty
        $figures = { param($file) [regex]::Matches((Get-Content -Raw -LiteralPath $file.FullName), '<li><span class="value">[^<]*</span>[^<]*</li>').Value }
        $customers = @($rows.CustomerId | Sort-Object -Unique).Count
        & $figures $given | Should -Contain ('<li><span class="value">{0:N0}</span>Customers</li>' -f $customers)
        & $figures $given | Should -Be (& $figures $piped)
    }
}

Describe 'Counts near the largest a long holds' {
    BeforeAll {
        $script:Type = (Get-Command Get-PCLicenseUsage).OutputType[0].Type
        function New-Row([string] $Workload, [long] $Qualified) {
            $row = $script:Type::new()
            $row.CustomerId = [guid]'a0000000-0000-4000-8000-000000000001'
            $row.CustomerName = 'Huge'
            $row.WorkloadName = $Workload
            $row.LicensesQualified = $Qualified
            $row.LicensesActive = 0
            $row.ProcessedDateTime = [datetimeoffset]'2026-11-01T00:00:00Z'
            $row
        }

        $script:Figure = { param($file, $label) [regex]::Match((Get-Content -Raw -LiteralPath $file.FullName), "<span class=""value"">([^<]*)</span>$label</li>").Groups[1].Value }
    }

    It 'sums up to the largest long exactly' {
        $half = [long]::MaxValue -shr 1
        $file = & { New-Row Exchange $half; New-Row Teams $half } | Export-PCLicenseReport -Path (Join-Path $TestDrive 'fits.html')

        & $script:Figure $file 'Licenses qualified' | Should -Be '9,223,372,036,854,775,806'
    }

    It 'shows a sum past it as unknown, and says why, never as a number of the other sign' {
        $big = [long]::MaxValue - 1
        $file = & { New-Row Exchange $big; New-Row Teams $big } | Export-PCLicenseReport -Path (Join-Path $TestDrive 'past.html')
        $page = Get-Content -Raw -LiteralPath $file.FullName

        & $script:Figure $file 'Licenses qualified' | Should -Be 'unknown'
        & $script:Figure $file 'Licenses inactive' | Should -Be 'unknown'
        $page | Should -BeLike '*Too large to count: sums of licenses qualified, licenses inactive, the inactive share went past 9,223,372,036,854,775,807*'
        $page | Should -Not -Match 'data-v="-'

        $again = & { New-Row Exchange $big; New-Row Teams $big } | Export-PCLicenseReport -Path (Join-Path $TestDrive 'again.html') -Baseline $file -ErrorAction Stop
        Get-Content -Raw -LiteralPath $again.FullName | Should -Not -Match 'data-v="-'
    }
}
