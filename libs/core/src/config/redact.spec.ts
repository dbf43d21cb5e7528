import { redactRequestUrl, redactUrl } from './redact';

describe('redactRequestUrl', () => {
  it('takes the values of personal and secret query parameters out', () => {
    expect(redactRequestUrl('/api/v1/residents?q=%E5%BC%A0%E7%A7%80%E8%8B%B1&limit=20')).toBe(
      '/api/v1/residents?q=[redacted]&limit=20',
    );
    expect(redactRequestUrl('/api/v1/residents?limit=5&idNumber=620422194501010017')).toBe(
      '/api/v1/residents?limit=5&idNumber=[redacted]',
    );
    expect(redactRequestUrl('/x?PHONE=13800000000&name=%E6%9D%8E&address=abc&token=t.o.k')).toBe(
      '/x?PHONE=[redacted]&name=[redacted]&address=[redacted]&token=[redacted]',
    );
  });

  it('keeps other parameters and masks an ID number anywhere else', () => {
    expect(redactRequestUrl('/api/v1/residents?status=active&regionCode=620422100')).toBe(
      '/api/v1/residents?status=active&regionCode=620422100',
    );
    expect(redactRequestUrl('/api/v1/lookup/62042219450101001X')).toBe('/api/v1/lookup/620422***********X');
    // a parameter that merely ends like a redacted one is kept
    expect(redactRequestUrl('/a?facilityName=x&qq=1')).toBe('/a?facilityName=x&qq=1');
  });
});

describe('redactUrl', () => {
  it('hides the password of a connection URL', () => {
    expect(redactUrl('mysql://root:secret@127.0.0.1:3306/care')).toBe('mysql://root:***@127.0.0.1:3306/care');
  });
});
