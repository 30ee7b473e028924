// The person acting (Caller) and the roles are the core's; every feature of the host reads them.
global using MgAuth.Cases.Security;
