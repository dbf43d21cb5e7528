// 用户管理 (admin): list, create, change role / facilities / caregiver, deactivate, reset a password.
// Built to the contract: GET/POST /users, PATCH /users/:id, POST /users/:id/password.
import { useMemo, useState } from 'react';
import { createUser, getCaregivers, getFacilities, getUsers, setUserPassword, updateUser } from '../../api/endpoints';
import type { Caregiver, Facility, Role, UserAccount } from '../../api/types';
import { PageHeader } from '../../components/Layout';
import { useToast } from '../../components/Toast';
import { Badge, Button, Card, Empty, ErrorBox, Field, Modal, Spinner } from '../../components/ui';
import { errorText, ROLE_LABEL } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { useUser } from '../../session';

const ROLES: Role[] = ['admin', 'bureau', 'manager', 'dispatcher', 'caregiver', 'integration'];

/** The contract's password rule: at least 10 characters, not the username. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 10) return '密码至少10个字符';
  if (password === username) return '密码不能与用户名相同';
  return null;
}

export function UsersPage() {
  const me = useUser();
  const toast = useToast();
  const users = useAsync(getUsers, []);
  const facilities = useAsync(() => getFacilities().then((l) => l.items), []);
  const caregivers = useAsync(() => getCaregivers().then((l) => l.items), []);
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserAccount | null>(null);
  const [resetting, setResetting] = useState<UserAccount | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const facilityName = useMemo(() => new Map((facilities.data ?? []).map((f) => [f.id, f.name])), [facilities.data]);
  const caregiverName = useMemo(() => new Map((caregivers.data ?? []).map((c) => [c.id, c.name])), [caregivers.data]);
  const shown = (users.data?.items ?? []).filter(
    (u) => !filter || u.username.includes(filter) || ROLE_LABEL[u.role]?.includes(filter),
  );

  async function toggleActive(u: UserAccount) {
    setBusyId(u.id);
    try {
      const next = u.active === false;
      await updateUser(u.id, { active: next });
      toast(next ? `已启用 ${u.username}` : `已停用 ${u.username}`, 'success');
      users.reload();
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setBusyId(null);
    }
  }

  return (
    <div className="page">
      <PageHeader
        title="用户管理"
        sub="账号、角色、所属机构；停用账号和重置密码后，原登录立即失效"
        extra={
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-user">
            ＋ 新建用户
          </Button>
        }
      />
      <Card>
        <div className="search-row">
          <input
            type="search"
            placeholder="用户名或角色"
            value={filter}
            onChange={(e) => setFilter(e.target.value.trim())}
            aria-label="筛选用户"
          />
        </div>
        <ErrorBox error={users.error} onRetry={users.reload} />
        {users.loading && !users.data ? <Spinner /> : null}
        {users.data && shown.length === 0 ? <Empty>没有用户</Empty> : null}
        {shown.length ? (
          <div className="table-wrap">
            <table className="table" data-testid="users-table">
              <thead>
                <tr>
                  <th>用户名</th>
                  <th>角色</th>
                  <th>所属机构 / 护理员</th>
                  <th>状态</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {shown.map((u) => (
                  <tr key={u.id} data-testid={`user-${u.username}`}>
                    <td>{u.username}</td>
                    <td>{ROLE_LABEL[u.role] ?? u.role}</td>
                    <td className="wrap">
                      {u.role === 'caregiver'
                        ? u.caregiverId
                          ? (caregiverName.get(u.caregiverId) ?? u.caregiverId.slice(0, 8))
                          : '—'
                        : u.facilityIds.map((id) => facilityName.get(id) ?? id.slice(0, 8)).join('、') || '—'}
                    </td>
                    <td>{u.active === false ? <Badge tone="grey">已停用</Badge> : <Badge tone="green">正常</Badge>}</td>
                    <td>
                      <div className="row-actions">
                        <Button size="sm" variant="ghost" onClick={() => setEditing(u)}>
                          修改角色
                        </Button>
                        <Button size="sm" variant="ghost" onClick={() => setResetting(u)}>
                          重置密码
                        </Button>
                        {u.id !== me.id ? (
                          <Button
                            size="sm"
                            variant={u.active === false ? 'ghost' : 'danger'}
                            busy={busyId === u.id}
                            onClick={() => toggleActive(u)}
                          >
                            {u.active === false ? '启用账号' : '停用账号'}
                          </Button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>

      {creating || editing ? (
        <UserDialog
          user={editing}
          facilities={facilities.data ?? []}
          caregivers={caregivers.data ?? []}
          onClose={() => {
            setCreating(false);
            setEditing(null);
          }}
          onDone={(msg) => {
            setCreating(false);
            setEditing(null);
            toast(msg, 'success');
            users.reload();
          }}
        />
      ) : null}
      {resetting ? (
        <PasswordDialog
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={() => {
            setResetting(null);
            toast(`已重置 ${resetting.username} 的密码`, 'success');
          }}
        />
      ) : null}
    </div>
  );
}

function UserDialog({
  user,
  facilities,
  caregivers,
  onClose,
  onDone,
}: {
  user: UserAccount | null;
  facilities: Facility[];
  caregivers: Caregiver[];
  onClose: () => void;
  onDone: (msg: string) => void;
}) {
  const [username, setUsername] = useState(user?.username ?? '');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(user?.role ?? 'manager');
  const [facilityIds, setFacilityIds] = useState<string[]>(user?.facilityIds ?? []);
  const [caregiverId, setCaregiverId] = useState(user?.caregiverId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    if (!user) {
      if (!/^[A-Za-z0-9._-]{3,64}$/.test(username.trim()))
        return setError('用户名为3–64位字母、数字、点、下划线或连字符');
      const p = passwordProblem(password, username.trim());
      if (p) return setError(p);
    }
    if (role === 'manager' && facilityIds.length === 0) return setError('机构管理员需选择至少一个机构');
    if (role === 'caregiver' && !caregiverId) return setError('护理员账号需关联护理员');
    setBusy(true);
    setError(null);
    try {
      const scope = {
        ...(role === 'manager' ? { facilityIds } : {}),
        ...(role === 'caregiver' ? { caregiverId } : {}),
      };
      if (user) {
        // facilityIds only matter to a manager (cleared otherwise); caregiverId is sent only for a caregiver
        await updateUser(user.id, {
          role,
          facilityIds: role === 'manager' ? facilityIds : [],
          ...(role === 'caregiver' ? { caregiverId } : {}),
        });
        onDone(`已修改 ${user.username}`);
      } else {
        await createUser({ username: username.trim(), password, role, ...scope });
        onDone(`已创建用户 ${username.trim()}`);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={user ? `修改角色 · ${user.username}` : '新建用户'}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button variant="primary" busy={busy} onClick={submit} data-testid="user-submit">
            {user ? '保存' : '创建'}
          </Button>
        </>
      }
    >
      <div className="form-grid">
        {user ? null : (
          <>
            <Field label="用户名" required>
              <input
                name="newUsername"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                autoComplete="off"
              />
            </Field>
            <Field label="初始密码" required hint="至少10个字符，不能与用户名相同">
              <input
                name="newPassword"
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="new-password"
              />
            </Field>
          </>
        )}
        <Field label="角色" required>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        </Field>
        {role === 'caregiver' ? (
          <Field label="关联护理员" required>
            <select name="caregiverId" value={caregiverId} onChange={(e) => setCaregiverId(e.target.value)}>
              <option value="">请选择</option>
              {caregivers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.phone ? ` (${c.phone})` : ''}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {role === 'manager' ? (
          <fieldset className="field field-wide">
            <legend className="field-label">所属机构</legend>
            <div className="checks" data-testid="user-facilities">
              {facilities.map((f) => (
                <label key={f.id} className="check">
                  <input
                    type="checkbox"
                    value={f.id}
                    checked={facilityIds.includes(f.id)}
                    onChange={(e) =>
                      setFacilityIds((xs) => (e.target.checked ? [...xs, f.id] : xs.filter((x) => x !== f.id)))
                    }
                  />
                  {f.name}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        {error ? (
          <p className="form-error field-wide" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </Modal>
  );
}

function PasswordDialog({ user, onClose, onDone }: { user: UserAccount; onClose: () => void; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    const p = passwordProblem(password, user.username);
    if (p) return setError(p);
    setBusy(true);
    setError(null);
    try {
      await setUserPassword(user.id, password);
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      title={`重置密码 · ${user.username}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button variant="primary" busy={busy} onClick={submit}>
            重置
          </Button>
        </>
      }
    >
      <Field label="新密码" required hint="至少10个字符，不能与用户名相同；该用户的现有登录将失效">
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
        />
      </Field>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Modal>
  );
}
