/** The user roles of a simulated instance: Octopus's built-in ones (lower-case ids, cannot be deleted) and custom ones. */
import type { SimUserRole } from './data.js'

const VIEW = ['ProjectView', 'ProcessView', 'ReleaseView', 'DeploymentView', 'EnvironmentView', 'TaskView']

/** Built-in roles (lower-case ids, cannot be deleted) and custom ones, with real permission names. */
export const USER_ROLES: Array<Omit<SimUserRole, 'SupportedRestrictions'>> = [
  {
    Id: 'userroles-systemadministrator',
    Name: 'System administrator',
    Description: 'Can do everything at the system level.',
    CanBeDeleted: false,
    GrantedSpacePermissions: [],
    GrantedSystemPermissions: [
      'AdministerSystem',
      'ConfigureServer',
      'EventView',
      'SpaceCreate',
      'SpaceView',
      'TeamEdit',
      'TeamView',
      'UserEdit',
      'UserRoleEdit',
      'UserRoleView',
      'UserView'
    ]
  },
  {
    Id: 'userroles-systemmanager',
    Name: 'System manager',
    Description:
      'Can do everything at the system level except certain system-level functions reserved for administrators.',
    CanBeDeleted: false,
    GrantedSpacePermissions: [],
    GrantedSystemPermissions: [
      'EventView',
      'SpaceCreate',
      'SpaceEdit',
      'SpaceView',
      'TeamCreate',
      'TeamEdit',
      'TeamView',
      'UserInvite',
      'UserRoleView',
      'UserView'
    ]
  },
  {
    Id: 'userroles-spacemanager',
    Name: 'Space manager',
    Description: 'Can do everything within the context of the space they own.',
    CanBeDeleted: false,
    GrantedSpacePermissions: [
      ...VIEW,
      'DeploymentCreate',
      'EnvironmentEdit',
      'EventView',
      'ProjectCreate',
      'ProjectEdit',
      'TeamEdit',
      'TeamView',
      'TenantEdit',
      'TenantView',
      'UserRoleView'
    ],
    GrantedSystemPermissions: []
  },
  {
    Id: 'userroles-projectviewer',
    Name: 'Project viewer',
    Description: 'Can view projects but not change them.',
    CanBeDeleted: false,
    GrantedSpacePermissions: [...VIEW, 'VariableView'],
    GrantedSystemPermissions: []
  },
  {
    Id: 'userroles-projectdeployer',
    Name: 'Project deployer',
    Description: 'Project contributor permissions plus the ability to deploy.',
    CanBeDeleted: false,
    GrantedSpacePermissions: [
      ...VIEW,
      'DeploymentCreate',
      'InterruptionViewSubmitResponsible',
      'ReleaseCreate',
      'VariableView'
    ],
    GrantedSystemPermissions: []
  },
  {
    Id: 'userroles-projectcontributor',
    Name: 'Project contributor',
    Description: 'Can edit projects but not create or deploy them.',
    CanBeDeleted: false,
    GrantedSpacePermissions: [...VIEW, 'ProcessEdit', 'ProjectEdit', 'VariableEdit', 'VariableView'],
    GrantedSystemPermissions: []
  },
  {
    Id: 'userroles-tenantmanager',
    Name: 'Tenant manager',
    Description: 'Can edit tenants.',
    CanBeDeleted: false,
    GrantedSpacePermissions: ['TenantCreate', 'TenantDelete', 'TenantEdit', 'TenantView'],
    GrantedSystemPermissions: []
  },
  {
    Id: 'UserRoles-1',
    Name: 'Release approver',
    Description: 'Approves manual interventions.',
    CanBeDeleted: true,
    GrantedSpacePermissions: ['InterruptionSubmit', 'InterruptionView', 'ProjectView', 'ReleaseView'],
    GrantedSystemPermissions: []
  },
  {
    Id: 'UserRoles-2',
    Name: 'Auditor',
    Description: '',
    CanBeDeleted: true,
    GrantedSpacePermissions: ['EventView', 'ProjectView', 'TeamView', 'UserRoleView'],
    GrantedSystemPermissions: ['EventView', 'TeamView', 'UserView']
  },
  {
    Id: 'UserRoles-3',
    Name: 'Access admin',
    Description: 'Manages teams and roles.',
    CanBeDeleted: true,
    GrantedSpacePermissions: [],
    GrantedSystemPermissions: ['TeamEdit', 'TeamView', 'UserRoleEdit', 'UserView']
  },
  {
    Id: 'UserRoles-4',
    Name: 'AI operator',
    Description: 'Permissions from a newer Octopus version.',
    CanBeDeleted: true,
    GrantedSpacePermissions: ['AiAgentTranscriptView', 'DeployedResourceAdminister'],
    GrantedSystemPermissions: []
  }
]

/** Roles generated teams hold inside a space. */
export const SPACE_ROLES = [
  'userroles-projectviewer',
  'userroles-projectdeployer',
  'userroles-projectcontributor',
  'userroles-tenantmanager',
  'UserRoles-1',
  'UserRoles-2',
  'UserRoles-4'
]
/** Roles a system team may hold at system level. */
export const SYSTEM_ROLES = ['userroles-systemmanager', 'UserRoles-2', 'UserRoles-3']
