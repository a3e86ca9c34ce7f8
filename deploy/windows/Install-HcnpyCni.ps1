<#
.SYNOPSIS
    Installs the hcnpy Windows CNI plugins (nat, sdnbridge, sdnoverlay) on a node.

.DESCRIPTION
    1. Creates a Python virtual environment (default C:\Program Files\hcnpy\venv).
    2. Installs hcnpy-winplugins and hcnpy into it, from a folder of wheels and/or the
       package index.
    3. Precompiles the bytecode of the venv and of Python's standard library, so that no
       plugin process compiles anything when a container starts.
    4. Copies the launchers pip generated (nat.exe, sdnbridge.exe, sdnoverlay.exe) into the
       CNI bin directory (or, with -NoCopy, leaves them for bin_dir to point at).
    5. Copies a network configuration list into the CNI conf directory (-ConfList).
    6. Sets CNISKEL_LOG_FILE for the machine (the plugins' log file).
    7. Runs "nat.exe" with CNI_COMMAND=VERSION and prints the next steps.

    Run it from an elevated PowerShell (Windows PowerShell 5.1 or PowerShell 7). Running it
    again upgrades the packages in place. See docs/deployment/windows.md.

.PARAMETER Python
    The Python that creates the venv (3.10 or newer): a path to python.exe, or a command on
    PATH such as "py" (the Python launcher) or "python".

.PARAMETER InstallDir
    Where the venv goes (InstallDir\venv).

.PARAMETER WheelDir
    A folder with the wheels to install (hcnpy-*.whl, hcnpy_winplugins-*.whl and, with
    -Offline, every dependency). Empty: install from the package index.

.PARAMETER Package
    What to install: distribution names or paths to wheel files.

.PARAMETER Offline
    Install only from -WheelDir, never from the package index.

.PARAMETER CniBinDir
    The CNI bin directory (containerd's bin_dir).

.PARAMETER CniConfDir
    The CNI conf directory (containerd's conf_dir).

.PARAMETER ConfList
    A .conflist file to copy into CniConfDir, e.g. containerd\10-nat.conflist. Empty: none.

.PARAMETER NoCopy
    Do not copy the launchers; point containerd's bin_dir at InstallDir\venv\Scripts.

.PARAMETER LogFile
    Absolute path for CNISKEL_LOG_FILE (machine environment). Empty: leave it unset.

.PARAMETER SkipCompile
    Do not precompile bytecode.

.EXAMPLE
    .\Install-HcnpyCni.ps1 -WheelDir C:\k\wheels -ConfList .\containerd\10-nat.conflist

.EXAMPLE
    .\Install-HcnpyCni.ps1 -Python 'C:\Program Files\Python312\python.exe' -Offline -WheelDir D:\wheels
#>
[CmdletBinding()]
param(
    [string] $Python = 'py',
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'hcnpy'),
    [string] $WheelDir = '',
    [string[]] $Package = @('hcnpy-winplugins'),
    [switch] $Offline,
    [string] $CniBinDir = (Join-Path $env:ProgramFiles 'containerd\cni\bin'),
    [string] $CniConfDir = (Join-Path $env:ProgramFiles 'containerd\cni\conf'),
    [string] $ConfList = '',
    [switch] $NoCopy,
    [string] $LogFile = (Join-Path $env:ProgramData 'hcnpy\logs\cni.log'),
    [switch] $SkipCompile
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$Plugins = @('nat', 'sdnbridge', 'sdnoverlay')

function Write-Step {
    param([string] $Message)
    Write-Host "==> $Message"
}

# Native programs do not throw on failure, even with $ErrorActionPreference = 'Stop'.
function Invoke-Checked {
    param([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE"
    }
}

# -- checks -------------------------------------------------------------------------------

$Identity = [Security.Principal.WindowsIdentity]::GetCurrent()
$Principal = New-Object Security.Principal.WindowsPrincipal($Identity)
if (-not $Principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'Run this script from an elevated PowerShell: it writes to Program Files and the machine environment.'
}
if (-not (Get-Command $Python -ErrorAction SilentlyContinue)) {
    throw "Python '$Python' not found: install Python 3.10 or newer, or pass -Python <path to python.exe>."
}
if ($Offline -and -not $WheelDir) {
    throw '-Offline needs -WheelDir: the folder holding every wheel to install.'
}
if ($LogFile -and -not [System.IO.Path]::IsPathRooted($LogFile)) {
    throw "-LogFile must be an absolute path (cniskel ignores relative ones): $LogFile"
}

$Venv = Join-Path $InstallDir 'venv'
$VenvScripts = Join-Path $Venv 'Scripts'
$VenvPython = Join-Path $VenvScripts 'python.exe'

# -- 1. the virtual environment -----------------------------------------------------------

if (Test-Path -LiteralPath $VenvPython) {
    Write-Step "Using the virtual environment $Venv"
} else {
    Write-Step "Creating the virtual environment $Venv"
    New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
    Invoke-Checked $Python @('-m', 'venv', $Venv)
}
Invoke-Checked $VenvPython @('-I', '-c', 'import sys; assert sys.version_info >= (3, 10), sys.version')

# -- 2. the packages ----------------------------------------------------------------------

$PipArgs = @('-I', '-m', 'pip', 'install', '--upgrade', '--disable-pip-version-check')
if ($WheelDir) {
    $WheelDir = (Resolve-Path -LiteralPath $WheelDir).Path
    $PipArgs += @('--find-links', $WheelDir)
    if ($Offline) {
        $PipArgs += '--no-index'
    }
}
$PipArgs += $Package
Write-Step "Installing $($Package -join ', ')"
Invoke-Checked $VenvPython $PipArgs

# -- 3. bytecode --------------------------------------------------------------------------

if (-not $SkipCompile) {
    Write-Step 'Precompiling bytecode (site-packages and the standard library)'
    $Paths = & $VenvPython -I -c 'import sysconfig; p = sysconfig.get_paths(); print(p[''purelib'']); print(p[''stdlib''])'
    if ($LASTEXITCODE -ne 0) {
        throw 'Could not ask the venv for its site-packages and standard-library paths.'
    }
    foreach ($Path in $Paths) {
        # -x skips the standard library's test suites, which hold deliberately broken files.
        & $VenvPython -I -m compileall -qq -j 0 -x '[\\/]tests?[\\/]' $Path.Trim()
        if ($LASTEXITCODE -ne 0) {
            Write-Warning "compileall reported files it could not compile under $Path (they will be compiled on use)."
        }
    }
}

# -- 4. the launchers ---------------------------------------------------------------------

foreach ($Plugin in $Plugins) {
    $Launcher = Join-Path $VenvScripts "$Plugin.exe"
    if (-not (Test-Path -LiteralPath $Launcher)) {
        throw "$Launcher is missing: is hcnpy-winplugins installed in $Venv ?"
    }
}
if ($NoCopy) {
    $BinDir = $VenvScripts
    Write-Step "Leaving the launchers in $VenvScripts (set containerd's bin_dir to it)"
} else {
    $BinDir = $CniBinDir
    Write-Step "Copying $($Plugins -join '.exe, ').exe to $CniBinDir"
    New-Item -ItemType Directory -Force -Path $CniBinDir | Out-Null
    foreach ($Plugin in $Plugins) {
        # A launcher runs the venv's python.exe by its absolute path, wherever it is copied.
        Copy-Item -LiteralPath (Join-Path $VenvScripts "$Plugin.exe") -Destination (Join-Path $CniBinDir "$Plugin.exe") -Force
    }
}

# -- 5. the network configuration ---------------------------------------------------------

if ($ConfList) {
    $Source = (Resolve-Path -LiteralPath $ConfList).Path
    # Refuse a file that is not JSON before containerd does.
    Get-Content -LiteralPath $Source -Raw | ConvertFrom-Json | Out-Null
    New-Item -ItemType Directory -Force -Path $CniConfDir | Out-Null
    $Target = Join-Path $CniConfDir (Split-Path -Leaf $Source)
    Write-Step "Copying $Source to $Target"
    # A byte-for-byte copy: containerd's JSON parser rejects a byte-order mark.
    Copy-Item -LiteralPath $Source -Destination $Target -Force
}

# -- 6. logging ---------------------------------------------------------------------------

if ($LogFile) {
    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $LogFile) | Out-Null
    Write-Step "Setting CNISKEL_LOG_FILE=$LogFile (machine environment)"
    [Environment]::SetEnvironmentVariable('CNISKEL_LOG_FILE', $LogFile, 'Machine')
}
foreach ($Name in @('PYTHONDONTWRITEBYTECODE', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP')) {
    if ([Environment]::GetEnvironmentVariable($Name, 'Machine')) {
        Write-Warning "$Name is set for the machine: the plugins inherit it from containerd. Remove it unless you need it."
    }
}

# -- 7. check and next steps --------------------------------------------------------------

$env:CNI_COMMAND = 'VERSION'
try {
    $Answer = & (Join-Path $BinDir 'nat.exe')
    if ($LASTEXITCODE -ne 0) {
        throw "nat.exe answered VERSION with exit code $LASTEXITCODE"
    }
} finally {
    Remove-Item -Path Env:\CNI_COMMAND -ErrorAction SilentlyContinue
}
Write-Step "nat.exe VERSION: $Answer"

Write-Host @"

Installed. Next steps:

  1. containerd's config.toml (see deploy\windows\containerd\config.toml):
       [plugins."io.containerd.grpc.v1.cri".cni]
         bin_dir = "$($BinDir -replace '\\', '\\')"
         conf_dir = "$($CniConfDir -replace '\\', '\\')"
     then: Restart-Service containerd   (it also picks up CNISKEL_LOG_FILE)

  2. Create the HNS network your configuration names, for example:
       & "$VenvScripts\hcnpy.exe" network create --name nat --type NAT --subnet 10.88.0.0/16 --gateway 10.88.0.1

  3. Check ADD and DEL without containerd:
       `$ns = (& "$VenvScripts\hcnpy.exe" namespace create --json | ConvertFrom-Json).ID
       `$env:CNI_PATH = "$BinDir"; `$env:NETCONFPATH = "$CniConfDir"
       & "$VenvScripts\cniskel.exe" add nat `$ns --cache-dir "`$env:TEMP\cni-cache"
       & "$VenvScripts\cniskel.exe" del nat `$ns --cache-dir "`$env:TEMP\cni-cache"
       & "$VenvScripts\hcnpy.exe" namespace delete `$ns

"@
