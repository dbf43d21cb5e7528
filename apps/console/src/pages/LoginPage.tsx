import { useState, type FormEvent } from 'react';
import { Button } from '../components/ui';
import { errorText } from '../lib/labels';
import { useSession } from '../session';

export function LoginPage() {
  const { login, expired } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username || !password) {
      setError('请输入用户名和密码');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      setError(status === 401 ? '用户名或密码错误' : errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <div className="login-panel">
        <div className="login-brand">
          <span className="brand-mark brand-mark-lg" aria-hidden>
            会
          </span>
          <h1>会宁县智慧养老服务平台</h1>
          <p>县民政局 · 机构床位 · 上门服务 · 统计监测</p>
        </div>
        <form className="login-form" onSubmit={submit} noValidate>
          <h2>用户登录</h2>
          {expired ? <div className="alert alert-warn">登录已失效，请重新登录</div> : null}
          {error ? (
            <div className="alert alert-error" role="alert">
              {error}
            </div>
          ) : null}
          <label className="field">
            <span className="field-label">用户名</span>
            <input
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              placeholder="请输入用户名"
              autoFocus
            />
          </label>
          <label className="field">
            <span className="field-label">密码</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              placeholder="请输入密码"
            />
          </label>
          <Button type="submit" variant="primary" size="lg" busy={busy} className="btn-block">
            登 录
          </Button>
          <p className="login-foot">会宁县民政局 · 仅限授权人员使用</p>
        </form>
      </div>
    </div>
  );
}
