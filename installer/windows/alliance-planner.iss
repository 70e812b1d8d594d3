; Inno Setup recipe for the Windows installer of Alliance Planner (Inno Setup 6.3 or later).
; Built on Windows, after the bundle (README, "Windows"):
;   pyinstaller --noconfirm build.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\windows\alliance-planner.iss
; It writes dist\alliance-planner-VERSION-windows-x64-setup.exe. Silent, for deployment tools:
;   alliance-planner-VERSION-windows-x64-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; (add /CURRENTUSER to install for one user without administrator rights).

#define AppName "Alliance Planner"
#define AppExe "alliance-planner.exe"
#define Bundle AddBackslash(SourcePath) + "..\..\dist\alliance-planner"
#ifndef AppVersion
  ; the version the bundle's executable carries (build.spec writes it from the package)
  #define AppVersion GetVersionNumbersString(Bundle + "\" + AppExe)
#endif

[Setup]
; AppId stays the same for every version, so that an upgrade replaces the one before.
AppId={{E7620885-E589-46AD-9586-605AFA9DCAE3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Bundle}\..
OutputBaseFilename=alliance-planner-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\alliance_planner\resources\alliance-planner.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the whole one-folder bundle: alliance-planner.exe (the window), alliance-planner-cli.exe
; (the same program for a console: self-test, export...) and _internal\
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .alliance plan files open in Alliance Planner, with its icon
Root: HKA; Subkey: "Software\Classes\.alliance\OpenWithProgids"; ValueType: string; ValueName: "AlliancePlanner.Plan"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\AlliancePlanner.Plan"; ValueType: string; ValueName: ""; ValueData: "Alliance plan"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\AlliancePlanner.Plan\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\AlliancePlanner.Plan\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".alliance"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
