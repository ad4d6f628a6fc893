// Demo accounts created by `reti demo` (see the README). One per role, all
// with the same password. The e2e suite logs in as each of them.
export const DEMO_PASSWORD = 'demo-reti-2026';

export const ACCOUNTS = [
  { role: 'admin', email: 'admin@reti.example', password: DEMO_PASSWORD },
  { role: 'coordinamento regionale', email: 'coordinamento@reti.example', password: DEMO_PASSWORD },
  { role: 'accompagnatore', email: 'accompagnatore@reti.example', password: DEMO_PASSWORD },
  { role: 'referente di rete', email: 'referente@reti.example', password: DEMO_PASSWORD },
  { role: 'membro di rete', email: 'membro@reti.example', password: DEMO_PASSWORD },
];
