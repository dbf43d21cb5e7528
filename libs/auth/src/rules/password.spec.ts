import { hashPassword, passwordProblem, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    await expect(verifyPassword('correct horse', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horsf', a)).resolves.toBe(false);
    await expect(verifyPassword('x', 'garbage')).resolves.toBe(false);
  });
});

describe('passwordProblem', () => {
  it('accepts 10 characters or more that are not the username', () => {
    expect(passwordProblem('0123456789', 'alice')).toBeNull();
    expect(passwordProblem('护理员的密码很长很长很长', 'alice')).toBeNull();
  });

  it('refuses fewer than 10 characters, counting characters rather than UTF-16 units', () => {
    expect(passwordProblem('012345678', 'alice')).toMatch(/at least 10/);
    expect(passwordProblem('', 'alice')).toMatch(/at least 10/);
    // nine emoji are 18 UTF-16 units but nine characters
    expect(passwordProblem('😀'.repeat(9), 'alice')).toMatch(/at least 10/);
  });

  it('refuses the username, whatever its case', () => {
    expect(passwordProblem('manager.huishi', 'manager.huishi')).toMatch(/username/);
    expect(passwordProblem('Manager.Huishi', 'manager.huishi')).toMatch(/username/);
    expect(passwordProblem('manager.huishi!', 'manager.huishi')).toBeNull();
  });
});
